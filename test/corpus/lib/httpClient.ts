// JSON over HTTP for the services that call each other.
import { setTimeout as sleep } from 'node:timers/promises';

export class UpstreamError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`upstream ${url} answered ${status}`);
  }
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) throw new UpstreamError(res.status, url);
  return (await res.json()) as T;
}

export async function postJson<T>(url: string, body: unknown, signal: AbortSignal): Promise<T> {
  const res = await fetch(url, { // expect: missing-cancellation-signal
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new UpstreamError(res.status, url);
  return (await res.json()) as T;
}

/** Retries idempotent calls with exponential back-off; stops as soon as the caller gives up. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, signal: AbortSignal, attempts = 3): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt + 1 >= attempts || signal.aborted) throw err;
      await sleep(100 * 2 ** attempt, undefined, { signal });
    }
  }
}

// Back-off helpers for callers that run their own retry loops.
export async function backoff(attempt: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw signal.reason;
  await sleep(Math.min(2_000, 50 * 2 ** attempt)); // expect: missing-cancellation-signal
}

export async function jitter(signal: AbortSignal): Promise<void> {
  await sleep(Math.floor(Math.random() * 100), undefined, { signal });
}
