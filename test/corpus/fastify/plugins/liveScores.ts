// Live match scores: a polling plugin and an SSE endpoint.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { pool } from '../../lib/db.js';

interface Score {
  matchId: string;
  home: number;
  away: number;
}

async function loadScores(): Promise<Score[]> {
  const { rows } = await pool.query<Score>('SELECT match_id AS "matchId", home, away FROM live_scores');
  return rows;
}

/** Correct: the refresher is stopped when the server closes. */
export const scoresCache: FastifyPluginAsync = async (fastify: FastifyInstance) => {
  let scores: Score[] = [];
  const refresh = setInterval(() => {
    loadScores().then((s) => { scores = s; }, (err) => fastify.log.warn(err));
  }, 5_000);
  fastify.addHook('onClose', async () => clearInterval(refresh));

  fastify.get('/scores', async () => scores);
};

/** Wrong: the refresher outlives every server that registers the plugin. */
export const leagueTable: FastifyPluginAsync = async (fastify: FastifyInstance) => {
  let table: Score[] = [];
  setInterval(() => { // expect: factory-timer-leak
    loadScores().then((s) => { table = s; }, (err) => fastify.log.warn(err));
  }, 60_000);

  fastify.get('/table', async () => table);
};

export const liveStream: FastifyPluginAsync = async (fastify: FastifyInstance) => {
  // Wrong: the push timer keeps writing to a closed socket.
  fastify.get('/scores/stream', (request, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
    setInterval(() => { // expect: timer-without-cleanup
      loadScores().then(
        (s) => reply.raw.write(`data: ${JSON.stringify(s)}\n\n`),
        (err) => request.log.warn(err),
      );
    }, 2_000);
    request.log.info('stream opened');
  });

  // Correct: stopped when the raw response closes.
  fastify.get('/scores/stream2', (request, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
    const push = setInterval(() => {
      loadScores().then(
        (s) => reply.raw.write(`data: ${JSON.stringify(s)}\n\n`),
        (err) => request.log.warn(err),
      );
    }, 2_000);
    reply.raw.on('close', () => clearInterval(push));
  });

  // Correct: Fastify's reply is thenable; sending without awaiting is how it is used.
  fastify.get('/scores/:matchId', async (request, reply) => {
    const { matchId } = request.params as { matchId: string };
    const { rows } = await pool.query<Score>('SELECT match_id AS "matchId", home, away FROM live_scores WHERE match_id = $1', [matchId]);
    if (rows.length === 0) return reply.code(404).send({ error: 'no such match' });
    reply.header('cache-control', 'no-store');
    reply.send(rows[0]);
    return reply;
  });
};
