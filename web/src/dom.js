// DOM helpers. Everything the server sends is hostile text: it only ever reaches the page as
// text nodes (textContent) or attribute values set with setAttribute on attributes that are
// not event handlers. Nothing here parses HTML.

/**
 * h('tr', {class: 'row', title: 'x', on: {click: fn}}, 'text', child, [more children])
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'on') {
      for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (/^on/i.test(key) || key === 'srcdoc') {
      throw new Error(`refusing attribute ${key}`);
    } else if (key === 'href') {
      const safe = safeUrl(value);
      if (safe) el.setAttribute('href', safe);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An absolute http(s) URL as it is, anything else (javascript:, data:, relative) null. */
export function safeUrl(value) {
  try {
    const url = new URL(String(value));
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A link to an article's page when its URL is http(s), plain text otherwise. */
export function extLink(url, text) {
  const safe = safeUrl(url);
  return safe ? h('a', { href: safe, target: '_blank', rel: 'noopener noreferrer nofollow' }, text) : h('span', {}, text);
}

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&apos;': "'" };
/** Decodes the five entities an HTML-escaped string uses; any other `&...;` stays as it is. */
export function unescapeHtml(s) {
  return s.replace(/&(?:amp|lt|gt|quot|apos|#39|#x27);/g, (m) => ENTITIES[m]);
}

/**
 * A search snippet: escaped HTML whose only markup is <mark>…</mark>. Split on the tags and
 * turn every piece into a text node, the marked ones inside <mark> elements.
 */
export function renderSnippet(snippet) {
  const frag = document.createDocumentFragment();
  const parts = String(snippet).split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) {
      const text = document.createTextNode(unescapeHtml(part));
      frag.appendChild(marked ? h('mark', {}, text) : text);
    }
  }
  return frag;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Cuts `text` at UTF-8 byte offsets. `spans` are {start, end, ...} in bytes (end exclusive).
 * Returns the pieces between consecutive boundaries, each {text, start, end, spans: [covering
 * spans]}. Offsets past the end are clamped; a span whose start is not before its end is left
 * out.
 */
export function segmentByBytes(text, spans) {
  const bytes = encoder.encode(text);
  const n = bytes.length;
  const valid = spans
    .map((s) => ({ ...s, start: clamp(s.start, n), end: clamp(s.end, n) }))
    .filter((s) => s.start < s.end);
  const cuts = new Set([0, n]);
  for (const s of valid) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    pieces.push({
      text: decoder.decode(bytes.subarray(start, end)),
      start,
      end,
      spans: valid.filter((s) => s.start <= start && s.end >= end),
    });
  }
  return pieces;
}

function clamp(x, n) {
  const v = Number.isFinite(x) ? Math.trunc(x) : 0;
  return Math.max(0, Math.min(n, v));
}

/** Goldstein (−10…10) to a colour: red, through grey, to green. */
export function goldsteinColor(g) {
  const t = Math.max(-1, Math.min(1, (Number(g) || 0) / 10));
  const grey = [150, 150, 150];
  const end = t < 0 ? [200, 40, 40] : [30, 150, 60];
  const a = Math.abs(t);
  const c = grey.map((v, i) => Math.round(v + (end[i] - v) * a));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

export const fmt = {
  num: (n) => (Number.isFinite(n) ? n.toLocaleString('en-GB') : '–'),
  g: (g) => (Number.isFinite(g) ? (g > 0 ? '+' : '') + g.toFixed(1) : '–'),
  date: (d) => (d ? String(d).slice(0, 10) : '–'),
};
