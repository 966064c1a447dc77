// Next.js route handler: /api/chat — support assistant on the OpenAI SDK.
import OpenAI from 'openai';
import { after } from 'next/server';
import { db } from '../../../lib/inventory';

const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

export async function POST(req: Request) {
  const { messages, conversationId } = (await req.json()) as { messages: { role: string; content: string }[]; conversationId: string };
  const completion = await openai.chat.completions.create( // expect: missing-cancellation-signal
    { model: 'gpt-4o-mini', messages, temperature: 0.2 },
  );
  const answer = completion.choices[0]?.message?.content ?? '';
  after(db.query('INSERT INTO chat_log (conversation_id, answer) VALUES ($1, $2)', [conversationId, answer]));
  return Response.json({ answer });
}

export async function PUT(req: Request) {
  const { text } = (await req.json()) as { text: string };
  const moderation = await openai.moderations.create({ model: 'omni-moderation-latest', input: text }, { signal: req.signal });
  const embedding = await openai.embeddings.create({ model: 'text-embedding-3-small', input: text }, { signal: req.signal });
  return Response.json({ flagged: moderation.results[0]?.flagged ?? false, dims: embedding.data[0]?.embedding.length ?? 0 });
}
