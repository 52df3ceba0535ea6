// The dateline dashboard: one filter bar for every view, kept in the URL's query string.
import 'maplibre-gl/dist/maplibre-gl.css';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { get, isAbort } from './api.js';
import { h, fill, fmt, renderSnippet, segmentByBytes, goldsteinColor, extLink } from './dom.js';
import { ROOT_NAMES, QUAD_NAMES } from './cameo.js';
import { createMap } from './map.js';
import { createTimeline } from './timeline.js';
import { createNetwork } from './network.js';
import { renderArticle } from './article.js';

const FILTERS = ['actor', 'country', 'root', 'quad', 'since', 'until', 'place', 'q'];
const PAGE = 50;
const $ = (sel) => document.querySelector(sel);

const state = {
  filters: {},
  offset: 0,
  sort: '-date',
};

// ---- URL <-> state -------------------------------------------------------------------------

function readUrl() {
  const params = new URLSearchParams(location.search);
  state.filters = {};
  for (const k of FILTERS) {
    const v = params.get(k);
    if (v) state.filters[k] = v;
  }
  state.offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  state.sort = params.get('sort') || '-date';
  return { article: params.get('article'), event: params.get('event'), search: params.get('search') };
}

function writeUrl(extra = {}, replace = false) {
  const params = new URLSearchParams();
  for (const k of FILTERS) if (state.filters[k]) params.set(k, state.filters[k]);
  if (state.offset) params.set('offset', String(state.offset));
  if (state.sort !== '-date') params.set('sort', state.sort);
  const current = new URLSearchParams(location.search);
  for (const k of ['article', 'event', 'search']) {
    const v = k in extra ? extra[k] : current.get(k);
    if (v !== null && v !== undefined && v !== '') params.set(k, String(v));
  }
  const url = `${location.pathname}${params.size ? `?${params}` : ''}`;
  if (url !== `${location.pathname}${location.search}`) history[replace ? 'replaceState' : 'pushState'](null, '', url);
}

function formToState() {
  const form = $('#filters');
  state.filters = {};
  for (const k of FILTERS) {
    const v = form.elements[k].value.trim();
    if (v) state.filters[k] = k === 'country' ? v.toUpperCase() : v;
  }
}

function stateToForm() {
  const form = $('#filters');
  for (const k of FILTERS) form.elements[k].value = state.filters[k] ?? '';
  $('#sort').value = state.sort;
}

// ---- errors --------------------------------------------------------------------------------

function showError(err) {
  if (isAbort(err)) return;
  console.error(err);
  const box = $('#error');
  fill(box, String(err?.message ?? err));
  box.hidden = false;
}
const clearError = () => { $('#error').hidden = true; };

// ---- views ---------------------------------------------------------------------------------

let mapView;
let timelineView;
let networkView;

function setFilter(name, value) {
  state.filters = { ...state.filters, [name]: value };
  state.offset = 0;
  stateToForm();
  writeUrl();
  refresh();
}

async function loadStats() {
  const s = await get('stats');
  const el = $('#stats');
  const span = s.first_date ? `${s.first_date} – ${s.last_date}` : 'no dates';
  fill(el,
    h('b', {}, fmt.num(s.events)), ' events · ', h('b', {}, fmt.num(s.mentions)), ' mentions · ',
    h('b', {}, fmt.num(s.articles)), ' articles from ', h('b', {}, fmt.num(s.sources)), ' sources · ',
    `${fmt.num(s.duplicates)} duplicates · ${span}`);
  el.dataset.events = String(s.events);
}

function actorCell(code, name) {
  if (!code) return h('td', { class: 'muted' }, '–');
  return h('td', { title: name ?? '' }, h('span', { class: 'code' }, code), name ? h('span', { class: 'muted small' }, ` ${name}`) : null);
}

// CAMEO's catch-all codes end in ", not specified below": the code already says so.
const shortName = (name) => String(name).replace(/, not specified below$/i, '');

async function loadEvents() {
  const res = await get('events', { ...state.filters, limit: PAGE, offset: state.offset, sort: state.sort }, 'events');
  const tbody = $('#events tbody');
  const rows = res.events.map((e) => h('tr', {
    tabindex: '0',
    dataset: { id: String(e.id), root: e.root, quad: String(e.quad) },
    on: {
      click: () => openEvent(e.id, true),
      keydown: (ev) => { if (ev.key === 'Enter') openEvent(e.id, true); },
    },
  },
  h('td', { class: 'nowrap' }, fmt.date(e.date)),
  actorCell(e.source, e.source_name),
  h('td', { title: `${e.cameo} ${e.event_name ?? ''}${e.plover ? ` · PLOVER ${e.plover}` : ''}` },
    h('span', { class: 'code' }, e.cameo), ` ${shortName(e.event_name ?? ROOT_NAMES[e.root] ?? '')}`),
  actorCell(e.target, e.target_name),
  h('td', {}, e.place ? `${e.place.name}${e.place.country ? ` (${e.place.country})` : ''}` : '–'),
  h('td', { class: 'num' }, h('span', { class: 'swatch', style: `background:${goldsteinColor(e.goldstein)}` }), fmt.g(e.goldstein)),
  h('td', { class: 'num' }, fmt.num(e.num_mentions))));
  if (!rows.length) rows.push(h('tr', { class: 'empty' }, h('td', { colspan: '7', class: 'muted' }, 'No events match the filters.')));
  fill(tbody, rows);
  const from = res.total ? res.offset + 1 : 0;
  const to = res.offset + res.events.length;
  fill($('#page'), `${fmt.num(from)}–${fmt.num(to)} of ${fmt.num(res.total)}`);
  fill($('#events-count'), `${fmt.num(res.total)} match`);
  $('#events').dataset.total = String(res.total);
  $('#prev').disabled = res.offset <= 0;
  $('#next').disabled = to >= res.total;
}

async function refresh() {
  clearError();
  const f = state.filters;
  const jobs = [
    loadEvents(),
    get('timeline', f, 'timeline').then((r) => timelineView.setSeries(r)),
    get('map', f, 'map').then((r) => mapView.setPlaces(r.places ?? [])),
    get('network', { ...f, limit: 60 }, 'network').then((r) => networkView.setGraph(r)),
  ];
  const results = await Promise.allSettled(jobs);
  for (const r of results) if (r.status === 'rejected') showError(r.reason);
}

// ---- event detail, search, article ---------------------------------------------------------

function sentenceWithTrigger(text, trigger) {
  const spans = trigger ? [{ ...trigger }] : [];
  return segmentByBytes(String(text ?? ''), spans).map((p) => (p.spans.length ? h('mark', { class: 'ev-trigger' }, p.text) : p.text));
}

async function openEvent(id, withArticle) {
  writeUrl({ event: id, search: null });
  const side = $('#side');
  try {
    const e = await get(`events/${encodeURIComponent(id)}`, {}, 'event');
    for (const tr of document.querySelectorAll('#events tbody tr')) tr.classList.toggle('active', tr.dataset.id === String(e.id));
    fill(side,
      h('h2', {}, `Event #${e.id}`),
      h('div', { class: 'event-head' },
        h('span', { class: 'swatch', style: `background:${goldsteinColor(e.goldstein)}` }),
        h('span', { class: 'code' }, e.source ?? '–'), ' → ', h('span', { class: 'code' }, e.target ?? '–'),
        h('div', {}, `${e.cameo} ${e.event_name ?? ''}`),
        h('div', { class: 'muted small' },
          `${fmt.date(e.date)} · ${e.place ? e.place.name : 'no place'} · Goldstein ${fmt.g(e.goldstein)} · `
          + `${QUAD_NAMES[e.quad] ?? ''}${e.plover ? ` · ${e.plover}` : ''}`),
        h('div', { class: 'muted small' }, `${fmt.num(e.num_mentions)} mentions in ${fmt.num(e.num_articles)} articles from ${fmt.num(e.num_sources)} sources`)),
      h('h3', {}, 'Mentions'),
      h('ol', { class: 'mentions' }, (e.mentions ?? []).map((m) => h('li', {},
        h('button', { type: 'button', class: 'link', on: { click: () => openArticle(m.article, e.id) } }, m.title ?? `article #${m.article}`),
        h('span', { class: 'muted small' }, ` ${fmt.date(m.published)}`),
        h('blockquote', {}, sentenceWithTrigger(m.text, m.trigger)),
        h('div', { class: 'muted small' }, `rule ${m.rule ?? '–'} · confidence ${m.confidence ?? '–'} · `, extLink(m.url, 'source'))))));
    side.dataset.event = String(e.id);
    if (withArticle && e.first_article !== null && e.first_article !== undefined) await openArticle(e.first_article, e.id);
  } catch (err) {
    showError(err);
  }
}

async function openArticle(id, eventId = null) {
  writeUrl({ article: id });
  const panel = $('#article');
  try {
    const a = await get(`articles/${encodeURIComponent(id)}`, {}, 'article');
    const focus = eventId !== null && Array.isArray(a.event_ids) ? a.event_ids.indexOf(Number(eventId)) : -1;
    renderArticle(panel, a, {
      focusEvent: focus,
      onEvent: (eid) => openEvent(eid, false),
      onArticle: (aid) => openArticle(aid),
      onClose: () => { panel.hidden = true; writeUrl({ article: null }); },
    });
    panel.scrollIntoView({ block: 'start', behavior: 'smooth' });
  } catch (err) {
    showError(err);
  }
}

async function search(q, offset = 0) {
  const side = $('#side');
  writeUrl({ search: q, event: null });
  try {
    const res = await get('search', { q, limit: 20, offset }, 'search');
    fill(side,
      h('h2', {}, 'Search ', h('span', { class: 'muted small' }, `${fmt.num(res.total)} articles for “${q}”`)),
      res.results.length
        ? h('ol', { class: 'results', start: String(offset + 1) }, res.results.map((r) => h('li', {},
          h('button', { type: 'button', class: 'link', on: { click: () => openArticle(r.id) } }, r.title ?? `article #${r.id}`),
          h('span', { class: 'muted small' }, ` ${fmt.date(r.published)}`),
          h('div', { class: 'snippet' }, renderSnippet(r.snippet ?? '')))))
        : h('p', { class: 'muted' }, 'Nothing found.'),
      h('div', { class: 'pager' },
        offset > 0 ? h('button', { type: 'button', on: { click: () => search(q, Math.max(0, offset - 20)) } }, '‹ Previous') : null,
        offset + res.results.length < res.total ? h('button', { type: 'button', on: { click: () => search(q, offset + 20) } }, 'Next ›') : null));
    side.dataset.results = String(res.results.length);
  } catch (err) {
    showError(err);
  }
}

// ---- wiring --------------------------------------------------------------------------------

function init() {
  const rootSel = $('#filters').elements.root;
  for (const [code, name] of Object.entries(ROOT_NAMES)) rootSel.appendChild(h('option', { value: code }, `${code} ${name}`));
  const quadSel = $('#filters').elements.quad;
  for (const [q, name] of Object.entries(QUAD_NAMES)) quadSel.appendChild(h('option', { value: q }, `${q} ${name}`));

  mapView = createMap($('#map'), { onPlace: (name) => setFilter('place', name) });
  timelineView = createTimeline($('#timeline'), {
    onRange: (since, until) => {
      state.filters = { ...state.filters, since, until };
      state.offset = 0;
      stateToForm();
      writeUrl();
      refresh();
    },
  });
  networkView = createNetwork($('#network'), { onActor: (id) => setFilter('actor', id) });
  // For the browser tests and the curious: the map and the graph.
  window.dateline = { map: mapView.map, cy: networkView.cy };

  $('#filters').addEventListener('submit', (e) => {
    e.preventDefault();
    formToState();
    state.offset = 0;
    writeUrl();
    refresh();
  });
  $('#reset').addEventListener('click', () => {
    state.filters = {};
    state.offset = 0;
    stateToForm();
    writeUrl();
    refresh();
  });
  $('#sort').addEventListener('change', () => {
    state.sort = $('#sort').value;
    state.offset = 0;
    writeUrl();
    loadEvents().catch(showError);
  });
  $('#prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE);
    writeUrl();
    loadEvents().catch(showError);
  });
  $('#next').addEventListener('click', () => {
    state.offset += PAGE;
    writeUrl();
    loadEvents().catch(showError);
  });
  $('#search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = $('#search-q').value.trim();
    if (q) search(q);
  });
  window.addEventListener('popstate', () => {
    readUrl();
    stateToForm();
    refresh();
  });
  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { mapView.resize(); timelineView.resize(); networkView.resize(); }, 150);
  });

  const open = readUrl();
  stateToForm();
  loadStats().catch(showError);
  refresh().then(() => {
    if (open.search) {
      $('#search-q').value = open.search;
      search(open.search);
    } else if (open.event) openEvent(open.event, false);
    if (open.article) openArticle(open.article, open.event);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
