// NestJS controller for invoice PDFs and exports.
import { Controller, Get, Param, Post, Body, Req, Res, HttpCode } from '@nestjs/common';
import type { Request, Response } from 'express';
import pg from 'pg';
import { pool } from '../lib/db.js';

interface InvoiceRow {
  id: string;
  total: number;
  pdf_url: string;
}

@Controller('invoices')
export class InvoicesController {
  private readonly exported = new Set<string>();
  private readonly pdfCache = new Map<string, Buffer>();

  @Get(':id')
  async findOne(@Param('id') id: string): Promise<InvoiceRow | undefined> {
    const { rows } = await pool.query<InvoiceRow>('SELECT id, total, pdf_url FROM invoices WHERE id = $1', [id]);
    return rows[0];
  }

  // Wrong: the PDF fetch gets a timeout-only signal, and the cache never shrinks.
  @Get(':id/pdf')
  async pdf(@Param('id') id: string, @Req() req: Request): Promise<Buffer> {
    const cached = this.pdfCache.get(id);
    if (cached) return cached;
    const { rows } = await pool.query<InvoiceRow>('SELECT id, total, pdf_url FROM invoices WHERE id = $1', [id]);
    const res = await fetch(rows[0]!.pdf_url, {
      headers: { 'x-request-id': String(req.headers['x-request-id']) },
      signal: AbortSignal.timeout(15_000), // expect: detached-root-signal
    });
    const pdf = Buffer.from(await res.arrayBuffer());
    this.pdfCache.set(id, pdf); // expect: unbounded-request-store
    return pdf;
  }

  // Wrong: every exported id is remembered by the singleton controller.
  @Post('export')
  @HttpCode(202)
  async export(@Body() body: { ids: string[] }): Promise<{ queued: number }> {
    for (const id of body.ids) this.exported.add(id); // expect: unbounded-request-store
    await pool.query('INSERT INTO export_queue (invoice_id) SELECT unnest($1::text[])', [body.ids]);
    return { queued: body.ids.length };
  }

  // Wrong: a connection pool per call to the archive database.
  @Get(':id/archive')
  async archive(@Param('id') id: string): Promise<unknown> {
    const archive = new pg.Pool({ connectionString: process.env.ARCHIVE_URL }); // expect: pool-per-request
    const { rows } = await archive.query('SELECT * FROM archived_invoices WHERE id = $1', [id]);
    return rows[0] ?? null;
  }

  // Correct: a dedicated LISTEN client, closed on every path.
  @Get(':id/wait-paid')
  async waitPaid(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
    try {
      await listener.connect();
      await listener.query(`LISTEN invoice_paid_${id.replace(/\W/g, '')}`);
      await new Promise<void>((resolve) => listener.once('notification', () => resolve()));
      res.json({ paid: true });
    } finally {
      await listener.end();
    }
  }
}
