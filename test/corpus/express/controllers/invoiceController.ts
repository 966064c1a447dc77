// Invoice controllers, registered on the invoices router in app.ts.
import type { Request, RequestHandler, Response } from 'express';
import { query } from '../../lib/db.js';
import { sendMail } from '../../lib/mailer.js';
import { renderHtml, renderPool } from '../../pools/renderPool.js';
import { HttpError } from '../middleware/errorHandler.js';

interface Invoice {
  id: string;
  number: string;
  customer_email: string;
  html: string;
  status: 'draft' | 'issued' | 'void';
}

async function findInvoice(id: string): Promise<Invoice> {
  const [invoice] = await query<Invoice>('SELECT id, number, customer_email, html, status FROM invoices WHERE id = $1', [id]);
  if (!invoice) throw new HttpError(404, 'invoice not found');
  return invoice;
}

export async function getInvoice(req: Request, res: Response): Promise<void> {
  const invoice = await findInvoice(req.params.id as string);
  res.json({ id: invoice.id, number: invoice.number, status: invoice.status });
}

export async function getInvoicePdf(req: Request, res: Response): Promise<void> {
  const invoice = await findInvoice(req.params.id as string);
  const renderer = await renderPool.acquire(); // expect: pool-resource-leak
  const pdf = await renderer.render(invoice.html);
  await renderPool.release(renderer);
  res.type('application/pdf').send(pdf);
}

export async function getInvoicePreview(req: Request, res: Response): Promise<void> {
  const invoice = await findInvoice(req.params.id as string);
  const renderer = await renderPool.acquire();
  try {
    renderer.locale = String(req.query.locale ?? 'en-GB');
    renderer.watermark = 'PREVIEW';
    const pdf = await renderer.render(invoice.html);
    res.type('application/pdf').send(pdf);
  } finally {
    await renderPool.release(renderer); // expect: pooled-object-not-reset
  }
}

export async function getInvoiceDraft(req: Request, res: Response): Promise<void> {
  const invoice = await findInvoice(req.params.id as string);
  const renderer = await renderPool.acquire();
  try {
    renderer.watermark = 'DRAFT';
    res.type('application/pdf').send(await renderer.render(invoice.html));
  } finally {
    renderer.reset();
    await renderPool.release(renderer);
  }
}

export const emailInvoice: RequestHandler = async (req, res) => {
  const invoice = await findInvoice(String(req.params.id));
  if (invoice.status !== 'issued') throw new HttpError(409, 'only issued invoices can be sent');
  const pdf = await renderHtml(invoice.html);
  setImmediate(async () => { // expect: unawaited-background-work
    await sendMail(invoice.customer_email, `Invoice ${invoice.number}`, `<p>${pdf.length} bytes attached</p>`);
  });
  res.status(202).json({ queued: true });
};

export const voidInvoice: RequestHandler = (req, res, next) => {
  query('UPDATE invoices SET status = $2 WHERE id = $1', [req.params.id, 'void'])
    .then(() => res.sendStatus(204), next);
};
