// Browser tests of the dashboard: Debian's Chromium driven by playwright-core, against the
// server at $DATELINE_URL (`dateline serve`), or against tests/mock-server.mjs when it is unset.
// The data is whatever the server holds, so the checks are relative to it: a filter taken
// from the rows shown, a search word taken from an article title.
//
//   DATELINE_URL=http://127.0.0.1:8080 node --test tests/dashboard.test.mjs
// Screenshots go to tests/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const shots = join(here, 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const WAIT = 60_000;

let base = process.env.DATELINE_URL;
let mock = null;
let context;
let page;
let userDataDir;
const problems = { dialogs: [], pageErrors: [], csp: [], failed: [] };

before(async () => {
  if (!base) {
    const { startMock } = await import('./mock-server.mjs');
    mock = await startMock(0);
    base = `http://127.0.0.1:${mock.address().port}/`;
  }
  if (!base.endsWith('/')) base += '/';
  mkdirSync(shots, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), 'dateline-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    ],
  });
  page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.on('dialog', (d) => {
    problems.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => problems.pageErrors.push(e.message));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    if (!why.includes('ERR_ABORTED')) problems.failed.push(`${r.url()}: ${why}`);
  });
  // Record CSP violations (an injected inline script or handler would cause one).
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await new Promise((resolve) => (mock ? mock.close(resolve) : resolve()));
});

async function shot(name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Distinct colours among a grid of samples of a canvas (1 = blank). */
async function canvasColours(selector) {
  return page.evaluate((sel) => {
    const src = document.querySelector(sel);
    if (!src || !src.width || !src.height) return 0;
    const c = document.createElement('canvas');
    c.width = 64;
    c.height = 64;
    const ctx = c.getContext('2d');
    ctx.drawImage(src, 0, 0, 64, 64);
    const data = ctx.getImageData(0, 0, 64, 64).data;
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4) seen.add(`${data[i] >> 3},${data[i + 1] >> 3},${data[i + 2] >> 3}`);
    return seen.size;
  }, selector);
}

async function tableState() {
  return page.evaluate(() => ({
    total: Number(document.querySelector('#events').dataset.total),
    roots: [...document.querySelectorAll('#events tbody tr[data-id]')].map((tr) => tr.dataset.root),
    ids: [...document.querySelectorAll('#events tbody tr[data-id]')].map((tr) => tr.dataset.id),
    count: document.querySelector('#events-count').textContent,
    timeline: document.querySelector('.timeline-note')?.textContent ?? '',
  }));
}

/** Waits until the URL carries `param` and the views have reloaded. */
async function waitForTable(param) {
  await page.waitForFunction((p) => location.search.includes(p), param);
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => document.querySelector('#events tbody tr'));
}

test('the dashboard renders its views', async () => {
  await page.goto(base);
  await page.waitForSelector('#events tbody tr[data-id]');
  await page.waitForSelector('#map[data-ready="1"]');
  await page.waitForSelector('#timeline[data-ready="1"] canvas');
  await page.waitForSelector('#network[data-ready="1"]');
  await page.waitForFunction(() => !document.querySelector('#stats').textContent.includes('loading'));
  await page.waitForLoadState('networkidle');

  const stats = await page.evaluate(() => ({ text: document.querySelector('#stats').textContent, events: Number(document.querySelector('#stats').dataset.events) }));
  assert.ok(stats.events > 0, `stats: ${stats.text}`);
  assert.match(stats.text, /events/);

  // Sea, land, borders and circles: several colours on the map canvas.
  let colours = 0;
  for (let i = 0; i < 40 && colours <= 3; i++) {
    colours = await canvasColours('#map canvas.maplibregl-canvas');
    if (colours <= 3) await page.waitForTimeout(250);
  }
  assert.ok(colours > 3, `the map canvas shows countries (${colours} colours)`);
  // Land and sea differ: the background and country fill colours are both drawn.
  const mapInfo = await page.evaluate(() => ({
    countries: window.dateline.map.querySourceFeatures('countries').length,
    places: Number(document.querySelector('#map').dataset.places),
  }));
  assert.ok(mapInfo.countries > 50, `countries drawn: ${mapInfo.countries}`);
  assert.ok(mapInfo.places > 0, 'places on the map');
  assert.ok(await canvasColours('#timeline canvas') > 2, 'the timeline has bars');
  const nodes = await page.evaluate(() => Number(document.querySelector('#network').dataset.nodes));
  assert.ok(nodes > 0, 'the network has nodes');
  const table = await tableState();
  assert.ok(table.ids.length > 0 && table.total > 0);
  await shot('overview');
});

test('a CAMEO root filter narrows the table, timeline and URL', async () => {
  const before = await tableState();
  const counts = new Map();
  for (const r of before.roots) counts.set(r, (counts.get(r) ?? 0) + 1);
  // Prefer a root that not every row has, so that the count must change.
  const root = [...counts.keys()].find((r) => counts.get(r) < before.roots.length) ?? before.roots[0];
  await page.selectOption('#filters select[name="root"]', root);
  await page.click('#filters button[type="submit"]');
  await waitForTable(`root=${root}`);
  await page.waitForFunction(
    (r) => [...document.querySelectorAll('#events tbody tr[data-id]')].every((tr) => tr.dataset.root === r),
    root,
  );
  const after = await tableState();
  assert.ok(after.roots.length > 0, 'rows for the root');
  assert.ok(after.roots.every((r) => r === root), `every row has root ${root}`);
  if (counts.size > 1) assert.ok(after.total < before.total, `filtered ${after.total} < ${before.total}`);
  assert.match(after.count, new RegExp(`^${after.total.toLocaleString('en-GB')} match`));
  // The timeline counts the same events as the table.
  const timelineTotal = Number(after.timeline.replace(/[^0-9].*$/, '').replace(/,/g, ''));
  assert.equal(timelineTotal, after.total, `timeline "${after.timeline}"`);
  await shot('filtered-root');

  // The filter lives in the URL: a reload keeps it.
  await page.reload();
  await page.waitForSelector('#events tbody tr[data-id]');
  assert.equal(await page.inputValue('#filters select[name="root"]'), root);
  const reloaded = await tableState();
  assert.equal(reloaded.total, after.total);

  await page.click('#reset');
  await page.waitForFunction(() => !location.search.includes('root='));
  await page.waitForFunction((t) => Number(document.querySelector('#events').dataset.total) === t, before.total);
});

test('clicking a network node filters by that actor', async () => {
  await page.waitForSelector('#network[data-ready="1"]');
  const node = await page.evaluate(() => {
    const n = window.dateline.cy.nodes().max((x) => x.data('events')).ele;
    const p = n.renderedPosition();
    const box = document.querySelector('#network').getBoundingClientRect();
    return { id: n.id(), x: box.left + p.x, y: box.top + p.y };
  });
  await page.mouse.click(node.x, node.y);
  await waitForTable(`actor=${encodeURIComponent(node.id)}`);
  assert.equal(await page.inputValue('#filters input[name="actor"]'), node.id);
  const rows = await page.evaluate(() => [...document.querySelectorAll('#events tbody tr[data-id] .code')].map((c) => c.textContent));
  assert.ok(rows.length > 0);
  const table = await page.evaluate(() => [...document.querySelectorAll('#events tbody tr[data-id]')].map((tr) => tr.textContent));
  assert.ok(table.every((t) => t.includes(node.id)), `every row names ${node.id}`);
  await shot('filtered-actor');
  await page.click('#reset');
  await page.waitForFunction(() => !location.search.includes('actor='));
  await page.waitForLoadState('networkidle');
});

test('clicking a map circle filters by place', async () => {
  await page.waitForLoadState('networkidle');
  const target = await page.evaluate(() => {
    const map = window.dateline.map;
    const f = map.queryRenderedFeatures({ layers: ['places'] })[0];
    if (!f) return null;
    const p = map.project(f.geometry.coordinates);
    const box = map.getCanvas().getBoundingClientRect();
    return { name: f.properties.name, x: box.left + p.x, y: box.top + p.y };
  });
  assert.ok(target, 'a circle on the map');
  await page.mouse.click(target.x, target.y);
  await page.waitForFunction(() => location.search.includes('place='));
  await page.waitForLoadState('networkidle');
  const place = await page.inputValue('#filters input[name="place"]');
  assert.ok(place.length > 0);
  const places = await page.evaluate(() => [...document.querySelectorAll('#events tbody tr[data-id] td:nth-child(5)')].map((td) => td.textContent.toLowerCase()));
  assert.ok(places.length > 0 && places.every((p) => p.includes(place.toLowerCase())), `rows at ${place}`);
  await page.click('#reset');
  await page.waitForFunction(() => !location.search.includes('place='));
  await page.waitForLoadState('networkidle');
});

test('an event opens its detail and its first article with evidence highlighted', async () => {
  await page.waitForSelector('#events tbody tr[data-id]');
  const id = await page.getAttribute('#events tbody tr[data-id]', 'data-id');
  await page.click(`#events tbody tr[data-id="${id}"]`);
  await page.waitForSelector(`#side[data-event="${id}"]`);
  await page.waitForSelector('#article:not([hidden]) .article-text');
  const mentions = await page.$$eval('#side .mentions li', (els) => els.length);
  assert.ok(mentions > 0, 'the event has mentions');
  const articleId = await page.getAttribute('#article', 'data-article');

  // Every highlighted piece shows exactly the UTF-8 bytes its offsets name.
  const check = await page.evaluate(async (aid) => {
    const a = await (await fetch(`api/articles/${aid}`)).json();
    const bytes = new TextEncoder().encode(a.text);
    const dec = new TextDecoder();
    const bad = [];
    const pieces = [...document.querySelectorAll('#article .article-text span[data-start]')];
    for (const el of pieces) {
      const want = dec.decode(bytes.subarray(Number(el.dataset.start), Number(el.dataset.end)));
      if (el.textContent !== want) bad.push([el.textContent, want]);
    }
    return {
      bad, pieces: pieces.length,
      text: document.querySelector('#article .article-text').textContent === a.text,
      title: document.querySelector('#article .article-title').textContent,
      metaTitle: a.meta?.title ?? '(untitled)',
      triggers: document.querySelectorAll('#article .ev-trigger').length,
      selected: document.querySelectorAll('#article .article-text .selected').length,
      events: a.events.length,
    };
  }, articleId);
  assert.deepEqual(check.bad, []);
  assert.ok(check.text, 'the article text is shown whole, as text');
  assert.equal(check.title, check.metaTitle);
  assert.ok(check.events > 0 && check.triggers > 0, 'triggers highlighted');
  assert.ok(check.selected > 0, "the clicked event's evidence is selected");
  await page.locator('#article').scrollIntoViewIfNeeded();
  await shot('article');
});

test('search finds articles and renders marked snippets as text', async () => {
  const title = await page.textContent('#article .article-title');
  const word = (title.match(/\p{L}{5,}/gu) ?? ['news']).sort((a, b) => b.length - a.length)[0];
  await page.fill('#search-q', word);
  await page.click('#search-form button[type="submit"]');
  await page.waitForSelector('#side[data-results]');
  const res = await page.evaluate(() => ({
    n: Number(document.querySelector('#side').dataset.results),
    marks: document.querySelectorAll('#side .snippet mark').length,
    others: [...document.querySelectorAll('#side .snippet *')].filter((e) => e.tagName !== 'MARK').length,
    url: location.search,
  }));
  assert.ok(res.n > 0, `results for ${word}`);
  assert.ok(res.marks > 0, 'marked terms');
  assert.equal(res.others, 0, 'no markup but <mark> in snippets');
  assert.match(res.url, /search=/);
  await shot('search');
  await page.click('#side .results li button.link');
  await page.waitForSelector('#article:not([hidden]) .article-text');
});

test('hostile text stays inert', async () => {
  // Search words of the hostile fixture (and, presumably, the server's test article).
  for (const q of ['xss', 'onerror', 'script']) {
    await page.fill('#search-q', q);
    await page.click('#search-form button[type="submit"]');
    await page.waitForFunction((w) => location.search.includes(`search=${w}`), q);
    await page.waitForLoadState('networkidle');
    const n = await page.evaluate(() => Number(document.querySelector('#side').dataset.results ?? 0));
    if (n > 0 && await page.$('#side .results li button.link')) {
      await page.click('#side .results li button.link');
      await page.waitForSelector('#article:not([hidden]) .article-text');
      await page.waitForLoadState('networkidle');
    }
  }
  await shot('hostile');
  const inert = await page.evaluate(() => ({
    xss: window.__xss,
    injected: document.querySelectorAll('main img, main script, main iframe, main object, main [onerror], main [onmouseover], main [onclick]').length,
    csp: window.__cspViolations,
  }));
  assert.equal(inert.xss, undefined, 'window.__xss was never set');
  assert.equal(inert.injected, 0, 'no elements made from data');
  assert.deepEqual(inert.csp, [], 'no CSP violations');
  assert.deepEqual(problems.dialogs, [], 'no dialog opened');
  assert.deepEqual(problems.pageErrors, [], 'no uncaught errors');
  assert.deepEqual(problems.failed, [], 'no failed requests');
});
