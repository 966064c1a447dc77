// Announcement banners pushed to storefront tabs over SSE.
import { EventEmitter } from 'node:events';
import { Router } from 'express';
import { openEventStream, openStoppableStream, sendEvent } from '../../lib/sse.js';

export const announcementsRouter = Router();
export const announcements = new EventEmitter();

interface Banner {
  id: string;
  text: string;
}

// The keep-alive started two calls down is never cleared (reported in lib/sse.ts).
announcementsRouter.get('/stream', (req, res) => {
  openEventStream(res);
  const onBanner = (banner: Banner) => sendEvent(res, 'banner', banner);
  announcements.on('banner', onBanner);
  req.on('close', () => announcements.off('banner', onBanner));
});

// Correct: the helper's stop function and the listener are both undone on close.
announcementsRouter.get('/stream2', (req, res) => {
  const stop = openStoppableStream(res);
  const onBanner = (banner: Banner) => sendEvent(res, 'banner', banner);
  announcements.on('banner', onBanner);
  res.on('close', () => {
    stop();
    announcements.off('banner', onBanner);
  });
});
