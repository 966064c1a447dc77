// Resolves the caller's country from their IP through a third-party geo API, cached per IP.
const GEO_API = process.env.GEO_API ?? 'https://ipapi.example.com/json';
const cache = new Map();
const MAX_ENTRIES = 10_000;

export function geoIp({ header = 'x-forwarded-for', fallback = 'US' } = {}) {
  return async (ctx, next) => {
    const ip = (ctx.get(header) || ctx.ip).split(',')[0].trim();
    let country = cache.get(ip);
    if (!country) {
      try {
        const answer = await fetch(`${GEO_API}/${encodeURIComponent(ip)}`, { headers: { accept: 'application/json' } }); // expect: missing-cancellation-signal
        country = answer.ok ? (await answer.json()).country_code : fallback;
      } catch {
        country = fallback;
      }
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value);
      cache.set(ip, country);
    }
    ctx.state.country = country;
    await next();
  };
}
