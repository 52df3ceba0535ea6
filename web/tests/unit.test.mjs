// Unit tests of the dashboard's pure helpers (no browser): byte-offset segmentation, entity
// decoding of search snippets, and the antimeridian cut of the countries.
//   node --test tests/unit.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import { segmentByBytes, unescapeHtml, safeUrl, goldsteinColor } from '../src/dom.js';
import { splitAtAntimeridian } from '../src/antimeridian.js';

const require = createRequire(import.meta.url);

test('segmentByBytes cuts at UTF-8 byte offsets, not string indices', () => {
  const text = 'Erdoğan met “Zelenskyy” in Kyiv 🇺🇦 today';
  const bytes = new TextEncoder().encode(text);
  const at = (s) => {
    const i = text.indexOf(s);
    const start = new TextEncoder().encode(text.slice(0, i)).length;
    return { start, end: start + new TextEncoder().encode(s).length };
  };
  const spans = [{ ...at('Zelenskyy'), id: 'z' }, { ...at('Kyiv'), id: 'k' }, { ...at('today'), id: 't' }];
  const pieces = segmentByBytes(text, spans);
  assert.equal(pieces.map((p) => p.text).join(''), text);
  for (const id of ['z', 'k', 't']) {
    const piece = pieces.find((p) => p.spans.some((s) => s.id === id));
    assert.equal(piece.text, { z: 'Zelenskyy', k: 'Kyiv', t: 'today' }[id]);
  }
  assert.equal(pieces.at(-1).end, bytes.length);
});

test('segmentByBytes handles nesting, overlaps and bad offsets', () => {
  const text = 'a “quoted phrase” b';
  const quote = { start: 2, end: 21 }; // “quoted phrase” with its 3-byte marks
  const word = { start: 5, end: 11 }; // quoted
  const pieces = segmentByBytes(text, [quote, word, { start: 50, end: 10 }, { start: -3, end: 0 }]);
  assert.equal(pieces.map((p) => p.text).join(''), text);
  assert.deepEqual(pieces.filter((p) => p.spans.length === 2).map((p) => p.text), ['quoted']);
  assert.deepEqual(pieces.filter((p) => p.spans.length >= 1).map((p) => p.text).join(''), '“quoted phrase”');
});

test('unescapeHtml decodes the five entities once', () => {
  assert.equal(unescapeHtml('&lt;script&gt; &amp;amp; &quot;x&quot; &#39;y&#39;'), '<script> &amp; "x" \'y\'');
});

test('safeUrl keeps http(s) only', () => {
  assert.equal(safeUrl('https://example.org/a?b=1'), 'https://example.org/a?b=1');
  assert.equal(safeUrl('javascript:alert(1)'), null);
  assert.equal(safeUrl('data:text/html,x'), null);
  assert.equal(safeUrl('/relative'), null);
});

test('goldsteinColor runs red, grey, green', () => {
  assert.equal(goldsteinColor(-10), 'rgb(200, 40, 40)');
  assert.equal(goldsteinColor(0), 'rgb(150, 150, 150)');
  assert.equal(goldsteinColor(10), 'rgb(30, 150, 60)');
});

test('no country polygon jumps across the antimeridian once cut', () => {
  const topology = require('world-atlas/countries-110m.json');
  const countries = feature(topology, topology.objects.countries).features;
  let crossing = 0;
  for (const f of countries) {
    const g = splitAtAntimeridian(f.geometry);
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    const before = JSON.stringify(f.geometry) !== JSON.stringify(g);
    if (before) crossing++;
    for (const ring of polygons.flat()) {
      assert.deepEqual(ring[0], ring.at(-1), `${f.properties.name}: closed ring`);
      for (let i = 1; i < ring.length; i++) {
        const [a, b] = [ring[i - 1], ring[i]];
        assert.ok(a[0] >= -180 && a[0] <= 180, `${f.properties.name}: longitude ${a[0]}`);
        // Only the edge along a pole may run the width of the map.
        if (Math.abs(b[0] - a[0]) > 180) assert.ok(Math.abs(a[1]) === 90 && a[1] === b[1], `${f.properties.name}: jump ${a} → ${b}`);
      }
    }
  }
  assert.ok(crossing >= 3, 'Russia, Fiji and Antarctica are cut');
});
