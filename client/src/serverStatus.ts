// What the language status item says, as a pure function of what we know about the server, so it
// can be tested without an editor. The server reports its work through the `contextPoolLint/status`
// notification; whether the server is up at all we learn from the language client.

import type { StatusParams } from '../../server/src/lsp/protocol';

export { STATUS_NOTIFICATION, type StatusParams } from '../../server/src/lsp/protocol';

/** The client's own view of the server process. */
export type ConnectionState = 'starting' | 'running' | 'stopped' | 'error';

export interface StatusView {
  connection: ConnectionState;
  /** Latest report from the server; cleared when a new server process starts. */
  server?: StatusParams;
  /** The connection failed or the server crashed since the last (re)start. */
  serverError: boolean;
}

export interface StatusPresentation {
  text: string;
  detail: string | undefined;
  busy: boolean;
  severity: 'information' | 'warning' | 'error';
}

const LABEL = 'Context & Pool';

export function presentStatus(view: StatusView, formatTime: (date: Date) => string = clockTime): StatusPresentation {
  const severity = view.connection === 'error' ? 'error' : view.serverError ? 'warning' : 'information';
  const trouble = view.serverError ? 'the server reported an error, see the output' : undefined;
  switch (view.connection) {
    case 'starting':
      return { text: `$(sync~spin) ${LABEL}: starting`, detail: trouble, busy: true, severity };
    case 'stopped':
      return { text: `${LABEL}: stopped`, detail: trouble, busy: false, severity };
    case 'error':
      return { text: `$(error) ${LABEL}: server not running`, detail: 'see the output for why; run "Restart Server" to try again', busy: false, severity };
    case 'running': {
      const status = view.server;
      const details = [lastAnalysis(status, formatTime), skippedFiles(status), trouble].filter((d) => d !== undefined);
      const detail = details.length > 0 ? details.join('; ') : undefined;
      if (status?.state === 'analysing') return { text: `$(sync~spin) ${LABEL}: analysing`, detail, busy: true, severity };
      if (!status) return { text: `${LABEL}: ready`, detail, busy: false, severity };
      return { text: `${LABEL}: ${countFindings(status.findings)}`, detail, busy: false, severity };
    }
  }
}

function countFindings(count: number): string {
  if (count === 0) return 'no findings';
  return count === 1 ? '1 finding' : `${count} findings`;
}

function lastAnalysis(status: StatusParams | undefined, formatTime: (date: Date) => string): string | undefined {
  if (status?.lastAnalysisMs === undefined) return undefined;
  const ms = `last analysis ${Math.round(status.lastAnalysisMs)} ms`;
  const at = status.lastAnalysisAt ? new Date(status.lastAnalysisAt) : undefined;
  return at && !Number.isNaN(at.getTime()) ? `${ms} at ${formatTime(at)}` : ms;
}

function skippedFiles(status: StatusParams | undefined): string | undefined {
  const count = status?.skipped?.length ?? 0;
  if (count === 0) return undefined;
  return `${count} ${count === 1 ? 'file' : 'files'} skipped, see the output`;
}

/** Local wall-clock time as HH:MM:SS, whatever the display locale. */
export function clockTime(date: Date): string {
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
