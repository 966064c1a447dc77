// Warm PDF renderers are expensive to start, so they live in a generic-pool. The factory neither
// resets nor validates: callers hand renderers back in the state they found them.
import genericPool from 'generic-pool';

export class PdfRenderer {
  locale = 'en-GB';
  watermark: string | undefined = undefined;
  readonly fonts: string[] = [];

  static async launch(): Promise<PdfRenderer> {
    return new PdfRenderer();
  }

  async render(html: string): Promise<Buffer> {
    const header = this.watermark ? `<!-- ${this.watermark} -->` : '';
    return Buffer.from(`%PDF-1.7 ${this.locale} ${this.fonts.join(',')} ${header}${html.length}`);
  }

  reset(): void {
    this.locale = 'en-GB';
    this.watermark = undefined;
    this.fonts.length = 0;
  }

  async close(): Promise<void> {}
}

export const renderPool = genericPool.createPool<PdfRenderer>(
  {
    create: () => PdfRenderer.launch(),
    destroy: (renderer) => renderer.close(),
  },
  { min: 1, max: 4, acquireTimeoutMillis: 5_000 },
);

/** Renders on a pooled renderer; generic-pool's `use` acquires and releases around the callback. */
export function renderHtml(html: string): Promise<Buffer> {
  return renderPool.use((renderer) => renderer.render(html));
}
