// Session refresh for the storefront: rotates the cookie and records the device.
import { NextRequest, NextResponse, after } from 'next/server';
import { pool } from '../../../../lib/db.js';

interface Device {
  userAgent: string;
  ip: string;
}

// "The request currently being served", used by the audit helper below.
let currentRequestUrl: string | null = null;
let refreshes = 0;

async function recordDevice(userId: string, device: Device): Promise<void> {
  await pool.query('INSERT INTO devices (user_id, user_agent, ip) VALUES ($1, $2, $3)', [userId, device.userAgent, device.ip]);
}

function auditSource(): string {
  return currentRequestUrl ?? 'unknown';
}

// Wrong: the URL lands in module state that another request may overwrite before the audit runs.
export async function POST(request: NextRequest): Promise<NextResponse> {
  const userId = request.headers.get('x-user-id');
  if (!userId) return NextResponse.json({ error: 'no session' }, { status: 401 });
  currentRequestUrl = request.url; // expect: request-state-in-module-variable
  refreshes += 1;
  await pool.query('UPDATE sessions SET refreshed_at = now() WHERE user_id = $1', [userId]);
  await pool.query('INSERT INTO audit (actor, source, action) VALUES ($1, $2, $3)', [userId, auditSource(), 'session.refresh']);
  return NextResponse.json({ ok: true, refreshes });
}

// Wrong: the continuation keeps the whole request alive after the response.
export async function PUT(request: NextRequest): Promise<NextResponse> {
  const { userId } = (await request.json()) as { userId: string };
  recordDevice(userId, { userAgent: 'pending', ip: 'pending' })
    .then(() => console.log('device recorded for', request.headers.get('user-agent'))) // expect: request-object-escapes
    .catch(() => {});
  return NextResponse.json({ ok: true });
}

// Correct: the values are copied first, and the work is handed to after().
export async function PATCH(request: NextRequest): Promise<NextResponse> {
  const { userId } = (await request.json()) as { userId: string };
  const device = { userAgent: request.headers.get('user-agent') ?? '', ip: request.headers.get('x-forwarded-for') ?? '' };
  after(recordDevice(userId, device));
  return NextResponse.json({ ok: true });
}
