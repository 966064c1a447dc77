// A tarn pool of upstream sockets for the legacy fulfilment protocol.
import { Pool } from 'tarn';
import { Socket, createConnection } from 'node:net';

export const fulfilment = new Pool<Socket>({
  create: (cb) => {
    const socket = createConnection({ host: process.env.FULFILMENT_HOST ?? 'localhost', port: 7001 });
    socket.once('connect', () => cb(null, socket));
    socket.once('error', (err) => cb(err, socket));
  },
  destroy: (socket) => socket.destroy(),
  min: 0,
  max: 8,
});

function roundTrip(socket: Socket, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('data', (chunk) => resolve(chunk.toString('utf8')));
    socket.once('error', reject);
    socket.write(line + '\n');
  });
}

/** Correct: acquired, used, released in finally. */
export async function ship(orderId: string): Promise<string> {
  const socket = await fulfilment.acquire().promise;
  try {
    return await roundTrip(socket, `SHIP ${orderId}`);
  } finally {
    fulfilment.release(socket);
  }
}

/** Wrong: the socket is written to after it went back to the pool (another caller may own it). */
export async function cancelShipment(orderId: string): Promise<string> {
  const socket = await fulfilment.acquire().promise;
  let answer: string;
  try {
    answer = await roundTrip(socket, `CANCEL ${orderId}`);
  } finally {
    fulfilment.release(socket);
  }
  socket.write(`ACK ${orderId}\n`); // expect: pooled-object-used-after-release
  return answer;
}

/** Correct: only a primitive read before the release is used afterwards. */
export async function remoteAddressOfNext(): Promise<string> {
  const socket = await fulfilment.acquire().promise;
  const address = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
  fulfilment.release(socket);
  return address;
}

/** Correct: the socket is handed to the caller, who releases it. */
export function borrowSocket(): Promise<Socket> {
  return fulfilment.acquire().promise;
}
