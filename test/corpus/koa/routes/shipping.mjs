// Shipping labels and rates (ESM JavaScript on Koa + @koa/router): carrier APIs over got,
// label PDFs archived to S3, carrier sessions pooled with tarn.
import Router from '@koa/router';
import got from 'got';
import { S3Client, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import tarn from 'tarn';

const s3 = new S3Client({ region: process.env.AWS_REGION ?? 'eu-central-1' });
const BUCKET = process.env.LABEL_BUCKET ?? 'shipping-labels';
const CARRIER = process.env.CARRIER_API ?? 'https://api.carrier.example.com/v2';

class CarrierSession {
  constructor() {
    this.token = null;
    this.account = null;
  }
  async login() {
    this.token = 'token';
    return this;
  }
}

const sessions = new tarn.Pool({
  create: () => new CarrierSession().login(),
  destroy: () => {},
  min: 0,
  max: 4,
});

function requestSignal(ctx) {
  const controller = new AbortController();
  ctx.res.once('close', () => controller.abort());
  return controller.signal;
}

export const shippingRouter = new Router({ prefix: '/shipping' });

shippingRouter.get('/rates', async (ctx) => {
  const { from, to, weight } = ctx.query;
  const rates = await got(`${CARRIER}/rates`, { searchParams: { from, to, weight } }).json(); // expect: missing-cancellation-signal
  ctx.body = rates;
});

shippingRouter.get('/rates/express', async (ctx) => {
  const signal = requestSignal(ctx);
  ctx.body = await got(`${CARRIER}/rates/express`, { searchParams: ctx.query, signal }).json();
});

shippingRouter.post('/labels/:orderId', async (ctx) => {
  const session = await sessions.acquire().promise; // expect: pool-resource-leak
  const label = await got
    .post(`${CARRIER}/labels`, { json: { orderId: ctx.params.orderId, account: session.account }, headers: { authorization: `Bearer ${session.token}` }, signal: requestSignal(ctx) })
    .buffer();
  sessions.release(session);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${ctx.params.orderId}.pdf`, Body: label })); // expect: missing-cancellation-signal
  ctx.status = 201;
});

shippingRouter.get('/labels/:orderId', async (ctx) => {
  const signal = requestSignal(ctx);
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${ctx.params.orderId}.pdf` }), { abortSignal: signal });
  ctx.type = 'application/pdf';
  ctx.body = object.Body;
});

shippingRouter.post('/accounts/:account/ping', async (ctx) => {
  const session = await sessions.acquire().promise;
  session.account = ctx.params.account;
  try {
    await got.post(`${CARRIER}/ping`, { json: { account: session.account }, signal: requestSignal(ctx) });
    ctx.status = 204;
  } finally {
    sessions.release(session); // expect: pooled-object-not-reset
  }
});
