// Client for the warehouse management system the inventory service reports to.
const WAREHOUSE_API_URL = process.env.WAREHOUSE_API_URL ?? 'http://localhost:8070';

export interface StockEvent {
  type: 'reserved' | 'released';
  orderId: number;
  items: { sku: string; quantity: number }[];
}

export async function publishStockEvent(event: StockEvent, signal?: AbortSignal): Promise<void> {
  const response = await fetch(`${WAREHOUSE_API_URL}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
    signal,
  });
  if (!response.ok) throw new Error(`warehouse answered ${response.status} to ${event.type} event`);
}

export async function fetchSupplierEta(sku: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(`${WAREHOUSE_API_URL}/suppliers/eta?sku=${encodeURIComponent(sku)}`, { signal });
  if (!response.ok) throw new Error(`warehouse answered ${response.status} for the ETA of ${sku}`);
  const body = (await response.json()) as { eta: string };
  return body.eta;
}
