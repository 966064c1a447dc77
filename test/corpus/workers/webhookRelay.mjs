// Cloudflare Worker (plain JavaScript): relays signed webhooks to the internal queue and Slack.
const encoder = new TextEncoder();

async function hmac(secret, body) {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(body));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function notifySlack(env, text) {
  await fetch(env.SLACK_WEBHOOK, { method: 'POST', body: JSON.stringify({ text }) });
}

export default {
  async fetch(request, env, ctx) {
    if (request.method !== 'POST') return new Response('method not allowed', { status: 405 });
    const body = await request.text();
    const expected = await hmac(env.RELAY_SECRET, body);
    if (request.headers.get('x-relay-signature') !== expected) {
      notifySlack(env, `rejected webhook from ${request.headers.get('cf-connecting-ip')}`); // expect: unawaited-background-work
      return new Response('forbidden', { status: 403 });
    }
    const queued = await fetch(env.QUEUE_URL, { method: 'POST', body, signal: request.signal });
    ctx.waitUntil(notifySlack(env, `relayed ${body.length} bytes`));
    if (!queued.ok) {
      const retry = await fetch(env.QUEUE_FALLBACK_URL, { method: 'POST', body }); // expect: missing-cancellation-signal
      return new Response(null, { status: retry.ok ? 202 : 502 });
    }
    return new Response(null, { status: 202 });
  },
};
