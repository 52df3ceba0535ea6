// The map: MapLibre GL with a style of our own: a background, the countries of Natural Earth
// (dist/countries.json) and a circle per place with events. No tiles, no glyphs, no sprite,
// so no text layers: names show in a tooltip.
import * as maplibregl from 'maplibre-gl';
import { h, fill, fmt } from './dom.js';

// MapLibre runs its parser in a module worker loaded from the same origin (CSP worker-src 'self').
maplibregl.setWorkerUrl(new URL('maplibre-gl-worker.js', document.baseURI).href);

// The inhabited world, which the map shows first.
const WORLD = [[-168, -56], [180, 76]];
const EMPTY = { type: 'FeatureCollection', features: [] };

export function createMap(container, { onPlace }) {
  const tooltip = h('div', { class: 'map-tip', hidden: true });
  container.appendChild(tooltip);
  const map = new maplibregl.Map({
    container,
    style: {
      version: 8,
      sources: {
        countries: { type: 'geojson', data: EMPTY, attribution: 'Natural Earth' },
        places: { type: 'geojson', data: EMPTY },
      },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#dbe7ef' } },
        { id: 'countries-fill', type: 'fill', source: 'countries', paint: { 'fill-color': '#f7f6f2' } },
        { id: 'countries-line', type: 'line', source: 'countries', paint: { 'line-color': '#b9b9b0', 'line-width': 0.6 } },
        {
          id: 'places',
          type: 'circle',
          source: 'places',
          paint: {
            'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'events']], 1, 4, 10, 22, 40, 40],
            'circle-color': ['interpolate', ['linear'], ['get', 'goldstein'],
              -10, '#c82828', 0, '#969696', 10, '#1e963c'],
            'circle-opacity': 0.8,
            'circle-stroke-color': '#ffffff',
            'circle-stroke-width': 1,
          },
        },
      ],
    },
    center: [10, 20],
    zoom: 0,
    minZoom: 0,
    maxZoom: 10,
    renderWorldCopies: false,
    attributionControl: { compact: true },
    canvasContextAttributes: { preserveDrawingBuffer: true }, // so that tests can read the canvas
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');

  const world = () => map.fitBounds(WORLD, { padding: 4, animate: false });
  const styleLoaded = new Promise((resolve) => map.once('load', resolve));
  styleLoaded.then(world);
  const countriesLoaded = fetch('countries.json')
    .then((r) => r.json())
    .then(async (geo) => {
      await styleLoaded;
      map.getSource('countries').setData(geo);
    });

  map.on('mousemove', 'places', (e) => {
    const f = e.features[0];
    map.getCanvas().style.cursor = 'pointer';
    const p = f.properties;
    fill(tooltip, h('strong', {}, p.name), ` (${p.country ?? '–'})`, h('br'),
      `${fmt.num(p.events)} events, mean Goldstein ${fmt.g(p.goldstein)}`);
    tooltip.hidden = false;
    tooltip.style.left = `${e.point.x + 12}px`;
    tooltip.style.top = `${e.point.y + 12}px`;
  });
  map.on('mouseleave', 'places', () => {
    map.getCanvas().style.cursor = '';
    tooltip.hidden = true;
  });
  map.on('click', 'places', (e) => {
    const f = e.features[0];
    if (f) onPlace(f.properties.name);
  });

  let rendered = false;
  return {
    map,
    async setPlaces(places) {
      await styleLoaded;
      const features = places
        .filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon))
        .sort((a, b) => b.events - a.events) // small circles drawn last, on top
        .map((p) => ({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
          properties: { name: p.name, country: p.country, events: p.events, goldstein: p.goldstein ?? 0 },
        }));
      map.getSource('places').setData({ type: 'FeatureCollection', features });
      container.dataset.places = String(features.length);
      if (!rendered) {
        rendered = true;
        // Ready once the countries and the first places are drawn.
        await countriesLoaded;
        map.once('idle', () => { container.dataset.ready = '1'; });
        map.triggerRepaint();
      }
    },
    resize() {
      map.resize();
      world();
    },
  };
}
