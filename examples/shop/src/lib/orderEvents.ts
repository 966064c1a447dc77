import { EventEmitter } from 'node:events';

export interface OrderEvent {
  orderId: number;
  status: 'paid' | 'packed' | 'shipped' | 'delivered';
}

/** Order status changes, published by the warehouse consumer for anyone in the process. */
export const orderEvents = new EventEmitter();
orderEvents.setMaxListeners(0);

export function publishOrderEvent(event: OrderEvent): void {
  orderEvents.emit('status', event);
}
