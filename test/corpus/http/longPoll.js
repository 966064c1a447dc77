// Long-polling notification server on node:http (CommonJS).
'use strict';

const http = require('node:http');
const { EventEmitter } = require('node:events');
const mysql = require('mysql2/promise');

const notifications = new EventEmitter();
notifications.setMaxListeners(0);

const waiting = new Set();

// Wrong: a module that serves requests starts a timer nothing can stop.
setInterval(() => { // expect: factory-timer-leak
  notifications.emit('tick', Date.now());
}, 25_000);

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');

  if (url.pathname === '/poll') {
    // Correct: the listener and the timeout are both undone when the request ends.
    const onMessage = (message) => {
      cleanup();
      sendJson(res, 200, message);
    };
    const timeout = setTimeout(() => {
      cleanup();
      sendJson(res, 204, {});
    }, 30_000);
    const cleanup = () => {
      clearTimeout(timeout);
      notifications.off('message', onMessage);
      waiting.delete(res);
    };
    notifications.on('message', onMessage);
    waiting.add(res);
    res.on('close', cleanup);
    return;
  }

  if (url.pathname === '/poll-legacy') {
    // Wrong: on process shutdown every old response is still referenced by its listener.
    process.on('SIGTERM', () => {
      res.destroy(); // expect: request-object-escapes
    });
    notifications.once('message', (message) => sendJson(res, 200, message)); // expect: request-object-escapes
    return;
  }

  if (url.pathname === '/notify' && req.method === 'POST') {
    // Wrong: a connection per request to the notifications database, never closed.
    const db = await mysql.createConnection({ host: process.env.NOTIFY_DB_HOST, database: 'notify' }); // expect: pool-per-request
    await db.execute('INSERT INTO notifications (body) VALUES (?)', [url.searchParams.get('body')]);
    notifications.emit('message', { body: url.searchParams.get('body') });
    sendJson(res, 202, { queued: true, waiting: waiting.size });
    return;
  }

  sendJson(res, 404, { error: 'not found' });
});

module.exports = { server };
