/** A one-line progress display on a terminal; silent when output is piped or redirected. */
export interface Progress {
  update(verb: string, done: number, total: number): void;
  /** Erases the line, so what follows starts clean. */
  clear(): void;
}

const SILENT: Progress = { update() {}, clear() {} };

// Redrawing for every file would make the terminal, not the analysis, the bottleneck.
const REDRAW_EVERY_MS = 100;

export function terminalProgress(stream: { isTTY?: boolean; write(text: string): unknown }): Progress {
  if (!stream.isTTY) return SILENT;
  let lastDraw = 0;
  let shown = false;
  return {
    update(verb, done, total) {
      const now = Date.now();
      if (done < total && now - lastDraw < REDRAW_EVERY_MS) return;
      lastDraw = now;
      shown = true;
      stream.write(`\r\x1b[K${verb} ${done}/${total} files`);
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
