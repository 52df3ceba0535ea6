// Builds web/dist/, which `dateline serve` embeds and serves at /:
//   index.html, app.js (the dashboard with MapLibre GL, uPlot and Cytoscape, minified),
//   app.css (their CSS and ours, from the imports of src/main.js),
//   maplibre-gl-worker.js (MapLibre's module worker, loaded from the same origin),
//   countries.json (Natural Earth 1:110m countries from world-atlas, as GeoJSON cut at the
//   antimeridian).
// Nothing in dist refers to another host: every URL is relative.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';
import { splitAtAntimeridian } from './src/antimeridian.js';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);

await build({
  entryPoints: { app: join(here, 'src/main.js') },
  outdir: dist,
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['es2022'],
  legalComments: 'none',
  sourcemap: false,
  loader: { '.css': 'css' },
  logLevel: 'warning',
});

// MapLibre's worker: a self-contained ES module that the page starts with
// `new Worker(url, {type: "module"})` from the same origin (CSP worker-src 'self').
// Named .js so that any server's MIME table types it as JavaScript.
const maplibreDist = dirname(require.resolve('maplibre-gl/dist/maplibre-gl-worker.mjs'));
copyFileSync(join(maplibreDist, 'maplibre-gl-worker.mjs'), join(dist, 'maplibre-gl-worker.js'));

// Countries: TopoJSON to GeoJSON, cut at ±180° so that no polygon smears across the map,
// coordinates rounded to 0.01° (the 1:110m data is coarser than that anyway).
const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8'));
const countries = feature(topology, topology.objects.countries);
const round = (x) => Math.round(x * 100) / 100;
const features = countries.features.map((f) => ({
  type: 'Feature',
  properties: { name: f.properties.name },
  geometry: roundGeometry(splitAtAntimeridian(f.geometry)),
}));
function roundGeometry(g) {
  const ring = (r) => r.map(([x, y]) => [round(x), round(y)]);
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(ring) };
  return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) };
}
writeFileSync(join(dist, 'countries.json'), JSON.stringify({ type: 'FeatureCollection', features }));

copyFileSync(join(here, 'index.html'), join(dist, 'index.html'));
// The licences of what app.js, the worker and countries.json are made of.
const licences = [
  ['maplibre-gl', 'LICENSE.txt'], ['uplot', 'LICENSE'], ['cytoscape', 'LICENSE'], ['world-atlas', 'LICENSE'],
].map(([pkg, file]) => {
  const dir = join(here, 'node_modules', pkg);
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return `== ${pkg} ${version} ==\n\n${readFileSync(join(dir, file), 'utf8')}`;
});
licences.push('== Natural Earth ==\n\nThe country boundaries are Natural Earth data (public domain), via world-atlas.\n');
writeFileSync(join(dist, 'LICENSES.txt'), licences.join('\n'));

let total = 0;
for (const name of readdirSync(dist).sort()) {
  const size = statSync(join(dist, name)).size;
  total += size;
  console.log(`${name.padEnd(24)} ${(size / 1024).toFixed(1).padStart(8)} KiB`);
}
console.log(`${'total'.padEnd(24)} ${(total / 1024).toFixed(1).padStart(8)} KiB`);
