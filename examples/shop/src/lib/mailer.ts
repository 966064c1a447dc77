import type { Order } from '../db/ordersRepo';

const MAIL_API_URL = process.env.MAIL_API_URL ?? 'http://localhost:8025/api/messages';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export async function sendMail(message: MailMessage, signal?: AbortSignal): Promise<void> {
  const response = await fetch(MAIL_API_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal,
  });
  if (!response.ok) throw new Error(`mail API answered ${response.status}`);
}

function formatEuros(cents: number): string {
  return `€${(cents / 100).toFixed(2)}`;
}

export async function sendOrderConfirmation(to: string, order: Order): Promise<void> {
  const lines = order.lines.map((line) => `  ${line.quantity} × ${line.sku}  ${formatEuros(line.quantity * line.unitPriceCents)}`);
  await sendMail({
    to,
    subject: `Your order #${order.id}`,
    text: ['Thank you for your order.', '', ...lines, '', `Total: ${formatEuros(order.totalCents)}`].join('\n'),
  });
}

export async function sendWelcomeMail(to: string, name: string, signal?: AbortSignal): Promise<void> {
  await sendMail({ to, subject: 'Welcome to the shop', text: `Hello ${name}, your account is ready.` }, signal);
}
