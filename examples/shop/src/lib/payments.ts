const PAYMENTS_API_URL = process.env.PAYMENTS_API_URL ?? 'http://localhost:8090';
const PAYMENTS_API_KEY = process.env.PAYMENTS_API_KEY ?? 'sk_test_local';

export interface Charge {
  id: string;
  amountCents: number;
  currency: string;
}

export class PaymentDeclinedError extends Error {
  constructor(readonly reason: string) {
    super(`payment declined: ${reason}`);
  }
}

export interface ChargeRequest {
  cardToken: string;
  amountCents: number;
  currency: string;
  /** The payment provider charges at most once per key, so a retried checkout can't pay twice. */
  idempotencyKey: string;
}

export async function chargeCard(charge: ChargeRequest, signal: AbortSignal): Promise<Charge> {
  const response = await fetch(`${PAYMENTS_API_URL}/v1/charges`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${PAYMENTS_API_KEY}`,
      'content-type': 'application/json',
      'idempotency-key': charge.idempotencyKey,
    },
    body: JSON.stringify({ source: charge.cardToken, amount: charge.amountCents, currency: charge.currency }),
    signal,
  });
  if (response.status === 402) {
    const body = (await response.json()) as { reason?: string };
    throw new PaymentDeclinedError(body.reason ?? 'unknown');
  }
  if (!response.ok) throw new Error(`payments API answered ${response.status}`);
  return (await response.json()) as Charge;
}
