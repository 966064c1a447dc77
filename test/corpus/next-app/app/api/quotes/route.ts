// Shipping quotes from three carriers, fastest answer wins.
import { NextRequest, NextResponse } from 'next/server';

const CARRIERS = (process.env.CARRIER_URLS ?? '').split(',').filter(Boolean);

let quotesServed = 0;
let lastDeployCheck = 0;
let scratchWeight = 0;

interface Quote {
  carrier: string;
  cents: number;
}

async function quoteFrom(url: string, weight: number, signal: AbortSignal): Promise<Quote> {
  const res = await fetch(`${url}/quote?weight=${weight}`, { signal });
  return (await res.json()) as Quote;
}

// Correct: the controller is linked to the request's signal, so it is not a root.
export async function GET(request: NextRequest): Promise<NextResponse> {
  const weight = Number(request.nextUrl.searchParams.get('weight') ?? 1);
  const race = new AbortController();
  request.signal.addEventListener('abort', () => race.abort(), { once: true });
  try {
    const best = await Promise.any(CARRIERS.map((url) => quoteFrom(url, weight, race.signal)));
    quotesServed++;
    return NextResponse.json(best);
  } finally {
    race.abort();
  }
}

// Correct: module state that is not request data, and request data only read synchronously.
export async function POST(request: NextRequest): Promise<NextResponse> {
  const body = (await request.json()) as { weight: number; express: boolean };
  lastDeployCheck = Date.now();
  scratchWeight = body.weight;
  const billable = scratchWeight < 1 ? 1 : Math.ceil(scratchWeight);
  const quotes = await Promise.all(CARRIERS.map((url) => quoteFrom(url, billable, request.signal)));
  quotes.sort((a, b) => a.cents - b.cents);
  return NextResponse.json({ quotes, served: quotesServed, checkedAt: lastDeployCheck });
}
