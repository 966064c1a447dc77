// Analytics queries against the warehouse, plus the "recent searches" box.
import { NextRequest, NextResponse } from 'next/server';
import pg from 'pg';
import { fetchWarehouse } from '../../../lib/warehouse';

const recentSearches: string[] = [];
const lastQueryByUser = new Map<string, string>();

// Wrong: a pool per request, and the recent-searches list only grows.
export async function GET(request: NextRequest): Promise<NextResponse> {
  const term = request.nextUrl.searchParams.get('q') ?? '';
  recentSearches.push(term); // expect: unbounded-request-store
  const warehouse = new pg.Pool({ connectionString: process.env.WAREHOUSE_URL, max: 2 }); // expect: pool-per-request
  try {
    const { rows } = await warehouse.query('SELECT sku, hits FROM search_hits WHERE term = $1', [term]);
    return NextResponse.json({ rows, recent: recentSearches.slice(-10) });
  } finally {
    await warehouse.end();
  }
}

// Correct: the map is trimmed when it reaches its bound.
export async function POST(request: NextRequest): Promise<NextResponse> {
  const { userId, query } = (await request.json()) as { userId: string; query: string };
  if (lastQueryByUser.size >= 10_000) lastQueryByUser.clear();
  lastQueryByUser.set(userId, query);
  const result = await fetchWarehouse(query, request.signal);
  return NextResponse.json(result);
}
