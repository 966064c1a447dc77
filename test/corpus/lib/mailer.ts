// Transactional e-mail through the provider's HTTP API. Called with addresses and strings only.
import { logger } from './logger.js';

const MAIL_API = process.env.MAIL_API_URL ?? 'https://api.mail.example.com/v3/send';

export async function sendMail(to: string, subject: string, html: string): Promise<void> {
  const res = await fetch(MAIL_API, {
    method: 'POST',
    headers: { authorization: `Bearer ${process.env.MAIL_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to, subject, html }),
  });
  if (!res.ok) {
    logger.warn('mail provider refused message', { status: res.status, to });
    throw new Error(`mail provider answered ${res.status}`);
  }
}

export function welcomeHtml(name: string): string {
  return `<h1>Welcome, ${name.replace(/</g, '&lt;')}</h1><p>Thanks for signing up.</p>`;
}
