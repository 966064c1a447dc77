// The live-scores process: wiring and start-up only.
import Fastify from 'fastify';
import { leagueTable, liveStream, scoresCache } from './plugins/liveScores.js';
// @ts-ignore -- JavaScript module, typed through allowJs here (the repository-wide typecheck has no allowJs)
import requestGuards from './plugins/requestGuards.js';
// @ts-ignore -- JavaScript module, typed through allowJs here (the repository-wide typecheck has no allowJs)
import { mediaPlugin } from './plugins/media.mjs';

const app = Fastify({ logger: true, requestTimeout: 30_000 });

app.register(requestGuards);
app.register(scoresCache);
app.register(leagueTable);
app.register(liveStream, { prefix: '/live' });
app.register(mediaPlugin, { prefix: '/media' });

// Start-up: a timer here is the process's own business (it is unref'd).
const gc = setInterval(() => app.log.debug({ heap: process.memoryUsage().heapUsed }, 'heap'), 60_000);
gc.unref();

app.listen({ port: Number(process.env.PORT ?? 3100), host: '0.0.0.0' }).catch((err) => {
  app.log.error(err);
  process.exit(1);
});
