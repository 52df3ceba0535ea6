// A stand-in for `dateline serve`, no dependencies: serves web/dist at / and answers the JSON
// API of docs/API.md from tests/fixtures/db.json (made by tests/fixtures/make-fixtures.mjs).
// It is good enough for the dashboard's tests, not a reference: the Rust server is.
//
//   node tests/mock-server.mjs [--port 8099]     (PORT=0 picks a free port)
// It prints `listening on http://127.0.0.1:PORT` once ready.
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const db = JSON.parse(readFileSync(join(here, 'fixtures', 'db.json'), 'utf8'));
const articleById = new Map(db.articles.map((a) => [a.id, a]));
const eventById = new Map(db.events.map((e) => [e.id, e]));

const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
  + "worker-src 'self' blob:; connect-src 'self'";
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};

class BadRequest extends Error {}

function int(params, name, dflt, min, max) {
  const v = params.get(name);
  if (v === null || v === '') return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new BadRequest(`bad ${name}: ${v}`);
  return Number(v);
}

function filters(params) {
  const f = {};
  for (const name of ['actor', 'source', 'target', 'country', 'code', 'root', 'quad', 'plover', 'since', 'until', 'place', 'q']) {
    const v = params.get(name);
    if (v !== null && v !== '') f[name] = v;
  }
  if (f.root && !/^\d\d$/.test(f.root)) throw new BadRequest(`bad root: ${f.root}`);
  if (f.code && !/^\d{1,4}$/.test(f.code)) throw new BadRequest(`bad code: ${f.code}`);
  if (f.quad && !/^[1-4]$/.test(f.quad)) throw new BadRequest(`bad quad: ${f.quad}`);
  for (const d of ['since', 'until']) {
    if (f[d] && !/^\d{4}-\d{2}-\d{2}$/.test(f[d])) throw new BadRequest(`bad ${d}: ${f[d]}`);
  }
  return f;
}

// A crude stand-in for FTS5: every word of the query occurs in the article (case-insensitive).
function terms(q) {
  return q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t && !['and', 'or', 'not'].includes(t));
}
function articleMatches(article, q) {
  const hay = `${article.meta.title ?? ''} ${article.text}`.toLowerCase();
  return terms(q).every((t) => hay.includes(t));
}

function matches(e, f) {
  const starts = (code, p) => code !== null && code !== undefined && code.startsWith(p);
  if (f.actor && !starts(e.source, f.actor) && !starts(e.target, f.actor)) return false;
  if (f.source && !starts(e.source, f.source)) return false;
  if (f.target && !starts(e.target, f.target)) return false;
  if (f.country && !starts(e.source, f.country) && !starts(e.target, f.country) && e.place?.country !== f.country) return false;
  if (f.code && !e.cameo.startsWith(f.code)) return false;
  if (f.root && e.root !== f.root) return false;
  if (f.quad && e.quad !== Number(f.quad)) return false;
  if (f.plover && e.plover !== f.plover) return false;
  if (f.since && e.date < f.since) return false;
  if (f.until && e.date > f.until) return false;
  if (f.place && !(e.place?.name ?? '').toLowerCase().includes(f.place.toLowerCase())) return false;
  if (f.q && !e.mentions.some((m) => articleMatches(articleById.get(m.article), f.q))) return false;
  return true;
}

function summary(e) {
  const { mentions, ...rest } = e;
  void mentions;
  return rest;
}

const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function snippet(text, q) {
  const words = terms(q);
  const lower = text.toLowerCase();
  const first = Math.min(...words.map((w) => lower.indexOf(w)).filter((i) => i >= 0));
  const from = Math.max(0, first - 60);
  const to = Math.min(text.length, first + 100);
  const part = text.slice(from, to);
  const re = new RegExp(`(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'gi');
  const marked = part.split(re).map((chunk, i) => (i % 2 ? `<mark>${escapeHtml(chunk)}</mark>` : escapeHtml(chunk))).join('');
  return `${from > 0 ? '… ' : ''}${marked}${to < text.length ? ' …' : ''}`;
}

const SORTS = {
  date: (a, b) => a.date.localeCompare(b.date) || a.id - b.id,
  mentions: (a, b) => a.num_mentions - b.num_mentions || a.id - b.id,
  goldstein: (a, b) => a.goldstein - b.goldstein || a.id - b.id,
};

function api(path, params) {
  if (path === '/api/stats') {
    const dates = db.events.map((e) => e.date).sort();
    return {
      articles: db.articles.length, events: db.events.length,
      mentions: db.events.reduce((n, e) => n + e.num_mentions, 0),
      sources: new Set(db.articles.map((a) => a.meta.site)).size,
      duplicates: db.articles.filter((a) => a.duplicate_of !== null).length,
      first_date: dates[0] ?? null, last_date: dates.at(-1) ?? null, schema_version: 1, pipeline_version: 'mock',
    };
  }
  if (path === '/api/events') {
    const f = filters(params);
    const limit = int(params, 'limit', 100, 0, 1000);
    const offset = int(params, 'offset', 0, 0, 1e9);
    const sort = params.get('sort') || '-date';
    const cmp = SORTS[sort.replace(/^-/, '')];
    if (!cmp) throw new BadRequest(`bad sort: ${sort}`);
    const all = db.events.filter((e) => matches(e, f)).sort(sort.startsWith('-') ? (a, b) => cmp(b, a) : cmp);
    return { total: all.length, limit, offset, events: all.slice(offset, offset + limit).map(summary) };
  }
  let m = path.match(/^\/api\/events\/(\d+)$/);
  if (m) {
    const e = eventById.get(Number(m[1]));
    if (!e) return [404, { error: `no event ${m[1]}` }];
    return e;
  }
  if (path === '/api/articles') {
    const limit = int(params, 'limit', 100, 0, 1000);
    const offset = int(params, 'offset', 0, 0, 1e9);
    const q = params.get('q');
    const all = db.articles.filter((a) => !q || articleMatches(a, q));
    return {
      total: all.length,
      articles: all.slice(offset, offset + limit).map((a) => ({
        id: a.id, title: a.meta.title, url: a.meta.url, site: a.meta.site, published: a.meta.published, events: a.events.length,
      })),
    };
  }
  m = path.match(/^\/api\/articles\/(\d+)$/);
  if (m) {
    const a = articleById.get(Number(m[1]));
    if (!a) return [404, { error: `no article ${m[1]}` }];
    return a;
  }
  if (path === '/api/search') {
    const q = params.get('q');
    if (!q || !terms(q).length) throw new BadRequest('bad q: empty');
    const limit = int(params, 'limit', 20, 0, 1000);
    const offset = int(params, 'offset', 0, 0, 1e9);
    const all = db.articles.filter((a) => articleMatches(a, q));
    return {
      total: all.length,
      results: all.slice(offset, offset + limit).map((a) => ({
        id: a.id, title: a.meta.title, url: a.meta.url, published: a.meta.published, snippet: snippet(a.text, q),
      })),
    };
  }
  if (path === '/api/timeline') {
    const f = filters(params);
    const byDate = new Map();
    for (const e of db.events.filter((x) => matches(x, f))) {
      const row = byDate.get(e.date) ?? { date: e.date, q1: 0, q2: 0, q3: 0, q4: 0 };
      row[`q${e.quad}`] += 1;
      byDate.set(e.date, row);
    }
    return { bucket: 'day', series: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)) };
  }
  if (path === '/api/map') {
    const f = filters(params);
    const byPlace = new Map();
    for (const e of db.events.filter((x) => matches(x, f) && x.place)) {
      const key = `${e.place.name}|${e.place.lat}|${e.place.lon}`;
      const p = byPlace.get(key) ?? { ...e.place, events: 0, sum: 0 };
      p.events += 1;
      p.sum += e.goldstein;
      byPlace.set(key, p);
    }
    return {
      places: [...byPlace.values()].map(({ sum, ...p }) => ({ ...p, goldstein: Math.round((sum / p.events) * 100) / 100 })),
    };
  }
  if (path === '/api/network') {
    const f = filters(params);
    const limit = int(params, 'limit', 200, 0, 10000);
    const byDyad = new Map();
    for (const e of db.events.filter((x) => matches(x, f) && x.source && x.target)) {
      const key = `${e.source}>${e.target}`;
      const d = byDyad.get(key) ?? { source: e.source, target: e.target, events: 0, sum: 0 };
      d.events += 1;
      d.sum += e.goldstein;
      byDyad.set(key, d);
    }
    const edges = [...byDyad.values()].sort((a, b) => b.events - a.events).slice(0, limit)
      .map(({ sum, ...d }) => ({ ...d, goldstein: Math.round((sum / d.events) * 100) / 100 }));
    const nodes = new Map();
    for (const e of edges) {
      for (const id of [e.source, e.target]) nodes.set(id, (nodes.get(id) ?? 0) + e.events);
    }
    return { nodes: [...nodes].map(([id, events]) => ({ id, events })), edges };
  }
  return [404, { error: `no endpoint ${path}` }];
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  res.end(body);
}

export function startMock(port = 0) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      try {
        const out = api(url.pathname, url.searchParams);
        const [status, body] = Array.isArray(out) ? out : [200, out];
        send(res, status, 'application/json', JSON.stringify(body));
      } catch (err) {
        if (err instanceof BadRequest) send(res, 400, 'application/json', JSON.stringify({ error: err.message }));
        else send(res, 500, 'application/json', JSON.stringify({ error: String(err) }));
      }
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = normalize(join(dist, rel));
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
      send(res, 404, 'text/plain; charset=utf-8', 'not found');
      return;
    }
    send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT ?? 8099);
  const server = await startMock(port);
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
}
