// The article view: the clean text with entities, times, quotes and every event's evidence
// (trigger, source, target) highlighted, the article's events beside it. Spans are UTF-8 byte
// offsets into `text` (docs/FORMATS.md), cut with segmentByBytes, never JS string indices.
import { h, fill, fmt, extLink, segmentByBytes, goldsteinColor } from './dom.js';
import { ROOT_NAMES } from './cameo.js';

export function renderArticle(root, article, { focusEvent = null, onEvent, onArticle, onClose }) {
  const text = String(article.text ?? '');
  const events = Array.isArray(article.events) ? article.events : [];
  const spans = [];
  for (const e of article.entities ?? []) {
    spans.push({ start: e.start, end: e.end, kind: 'ent', cls: `ent ent-${String(e.type).replace(/[^A-Z]/g, '')}`,
      label: `${e.type}${e.actor ? ` ${e.actor}` : ''}${e.canonical && e.canonical !== e.text ? ` (${e.canonical})` : ''}` });
  }
  for (const t of article.times ?? []) {
    spans.push({ start: t.start, end: t.end, kind: 'time', cls: 'time', label: `time ${t.value ?? ''}` });
  }
  for (const q of article.quotes ?? []) {
    spans.push({ start: q.start, end: q.end, kind: 'quote', cls: 'quote', label: `quote${q.speaker ? ` of ${q.speaker}` : ''}` });
  }
  events.forEach((ev, i) => {
    const ed = ev.evidence ?? {};
    const name = `${ev.cameo} ${ROOT_NAMES[ev.root] ?? ''}`.trim();
    if (ed.trigger) spans.push({ ...ed.trigger, kind: 'trigger', cls: 'ev-trigger', ev: i, label: `event ${i + 1}: ${name}` });
    if (ed.source) spans.push({ ...ed.source, kind: 'source', cls: 'ev-source', ev: i, label: `event ${i + 1}: source ${ev.source?.code ?? '?'}` });
    if (ed.target) spans.push({ ...ed.target, kind: 'target', cls: 'ev-target', ev: i, label: `event ${i + 1}: target ${ev.target?.code ?? '?'}` });
  });

  const byEvent = new Map();
  const body = h('div', { class: 'article-text' });
  for (const piece of segmentByBytes(text, spans)) {
    if (!piece.spans.length) {
      body.appendChild(document.createTextNode(piece.text));
      continue;
    }
    const classes = new Set(piece.spans.map((s) => s.cls).join(' ').split(' '));
    const el = h('span', {
      class: [...classes].join(' '),
      title: piece.spans.map((s) => s.label).join('\n'),
      dataset: { start: String(piece.start), end: String(piece.end) },
    }, piece.text);
    for (const s of piece.spans) {
      if (s.ev === undefined) continue;
      if (!byEvent.has(s.ev)) byEvent.set(s.ev, []);
      byEvent.get(s.ev).push(el);
    }
    body.appendChild(el);
  }

  const items = events.map((ev, i) => {
    const li = h('li', {
      class: 'article-event', tabindex: '0', dataset: { index: String(i) },
      on: {
        click: () => select(i, true),
        keydown: (e) => { if (e.key === 'Enter') select(i, true); },
      },
    },
    h('span', { class: 'swatch', style: `background:${goldsteinColor(ev.goldstein)}` }),
    h('span', { class: 'ev-actors' }, `${ev.source?.code ?? '–'} → ${ev.target?.code ?? '–'}`),
    h('span', { class: 'ev-code' }, ` ${ev.cameo} ${ROOT_NAMES[ev.root] ?? ''}`),
    h('div', { class: 'muted small' },
      `${fmt.date(ev.date)} · ${ev.place?.name ?? 'no place'} · Goldstein ${fmt.g(ev.goldstein)}`,
      ev.rule ? ` · ${ev.rule}` : '', Number.isFinite(ev.confidence) ? ` · conf. ${ev.confidence}` : ''),
    Array.isArray(article.event_ids) && article.event_ids[i] !== undefined
      ? h('button', { type: 'button', class: 'link small', on: { click: (e) => { e.stopPropagation(); onEvent(article.event_ids[i]); } } },
        `merged event #${article.event_ids[i]}`)
      : null);
    return li;
  });

  function select(i, scroll) {
    for (const el of body.querySelectorAll('.selected')) el.classList.remove('selected');
    for (const li of items) li.classList.toggle('active', Number(li.dataset.index) === i);
    const els = byEvent.get(i) ?? [];
    for (const el of els) el.classList.add('selected');
    if (scroll && els[0]) els[0].scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  const meta = article.meta ?? {};
  const suppressed = article.suppressed ?? [];
  fill(root,
    h('div', { class: 'article-head' },
      h('button', { type: 'button', class: 'close', title: 'Close the article', 'aria-label': 'Close', on: { click: onClose } }, '×'),
      h('h2', { class: 'article-title' }, meta.title ?? '(untitled)'),
      h('div', { class: 'muted' },
        [meta.site, fmt.date(meta.published), meta.authors?.length ? meta.authors.join(', ') : null].filter(Boolean).join(' · '),
        meta.url ? ' · ' : '', meta.url ? extLink(meta.url, 'original page') : null,
        article.tone && Number.isFinite(article.tone.tone) ? ` · tone ${fmt.g(article.tone.tone)}` : ''),
      article.duplicate_of !== null && article.duplicate_of !== undefined
        ? h('div', { class: 'notice' }, 'Near-duplicate of ',
          h('button', { type: 'button', class: 'link', on: { click: () => onArticle(article.duplicate_of) } }, `article #${article.duplicate_of}`))
        : null,
      h('div', { class: 'legend' },
        h('span', { class: 'ev-trigger' }, 'trigger'), h('span', { class: 'ev-source' }, 'source'),
        h('span', { class: 'ev-target' }, 'target'), h('span', { class: 'ent ent-PER' }, 'person'),
        h('span', { class: 'ent ent-ORG' }, 'organisation'), h('span', { class: 'ent ent-LOC' }, 'place'),
        h('span', { class: 'quote' }, 'quote'), h('span', { class: 'time' }, 'time'))),
    h('div', { class: 'article-body' },
      body,
      h('aside', { class: 'article-side' },
        h('h3', {}, `Events (${events.length})`),
        events.length ? h('ol', { class: 'article-events' }, items) : h('p', { class: 'muted' }, 'No events coded.'),
        suppressed.length
          ? h('details', {}, h('summary', {}, `Suppressed candidates (${suppressed.length})`),
            h('ul', { class: 'small' }, suppressed.map((s) => h('li', {}, `${s.cameo} ${ROOT_NAMES[String(s.cameo).slice(0, 2)] ?? ''}: ${s.reason}`))))
          : null)));
  root.hidden = false;
  root.dataset.article = String(article.id);
  if (focusEvent !== null && focusEvent >= 0) select(focusEvent, false);
}
