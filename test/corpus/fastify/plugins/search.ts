// Search endpoints backed by OpenSearch, plus the typeahead cache.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { request as undiciRequest } from 'undici';
import { signalFor } from '../../lib/requestSignal.js';
import { query } from '../../lib/db.js';

const OPENSEARCH = process.env.OPENSEARCH_URL ?? 'http://opensearch.internal:9200';

interface SearchQuery {
  q: string;
  page?: number;
}

async function searchIndex(index: string, body: unknown, signal: AbortSignal): Promise<unknown[]> {
  const answer = await fetch(`${OPENSEARCH}/${index}/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  const json = (await answer.json()) as { hits: { hits: { _source: unknown }[] } };
  return json.hits.hits.map((h) => h._source);
}

export default async function searchPlugin(fastify: FastifyInstance): Promise<void> {
  fastify.get<{ Querystring: SearchQuery }>('/search', async (request, reply) => {
    const signal = signalFor(reply.raw);
    const page = Math.max(0, Number(request.query.page ?? 0));
    const [products, articles] = await Promise.all([
      searchIndex('products', { query: { match: { title: request.query.q } }, from: page * 20 }, signal),
      searchIndex('articles', { query: { match: { body: request.query.q } }, size: 5 }, signal),
    ]);
    reply.header('cache-control', 'private, max-age=30');
    return { products, articles };
  });

  fastify.get<{ Querystring: SearchQuery }>('/search/typeahead', async (request, reply) => {
    const { body } = await undiciRequest(`${OPENSEARCH}/products/_search`, { // expect: missing-cancellation-signal
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ suggest: { s: { prefix: request.query.q, completion: { field: 'suggest' } } } }),
    });
    reply.send(await body.json());
  });

  fastify.get('/search/popular', (request: FastifyRequest, reply: FastifyReply) => {
    query<{ term: string }>('SELECT term FROM popular_searches ORDER BY hits DESC LIMIT 10')
      .then((rows) => reply.send(rows.map((r) => r.term)))
      .catch((err) => reply.send(err));
    return reply;
  });

  fastify.post<{ Body: { term: string } }>('/search/clicks', async (request, reply) => {
    query('UPDATE popular_searches SET hits = hits + 1 WHERE term = $1', [request.body.term]); // expect: unawaited-background-work
    query('INSERT INTO search_clicks (term, at) VALUES ($1, now())', [request.body.term]).finally(() => request.log.debug('click stored')); // expect: unawaited-background-work
    reply.code(204);
    return reply.send();
  });

  fastify.get<{ Querystring: SearchQuery }>('/search/explain', async (request) => {
    const controller = new AbortController();
    request.raw.once('close', () => controller.abort());
    const answer = await fetch(`${OPENSEARCH}/products/_explain`, {
      method: 'POST',
      signal: AbortSignal.any([controller.signal, AbortSignal.timeout(2_000)]),
      body: JSON.stringify({ query: { match: { title: request.query.q } } }),
    });
    return answer.json();
  });
}
