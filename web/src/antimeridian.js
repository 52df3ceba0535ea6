// Cuts polygons that cross the antimeridian into pieces on either side of it.
//
// world-atlas stitches Natural Earth's polygons on the sphere, so Russia's Chukotka, Fiji and
// Antarctica have edges that jump from +180° to −180°. A flat map draws such an edge across
// the whole world. Each crossing ring is unwrapped into continuous longitudes (which may run
// past ±180°), closed over the pole when it circles one (Antarctica), then clipped to the
// windows [−540, −180], [−180, 180] and [180, 540] and shifted back into [−180, 180].

const crosses = (ring) => ring.some((p, i) => i > 0 && Math.abs(p[0] - ring[i - 1][0]) > 180);

function unwrap(ring) {
  const out = [[ring[0][0], ring[0][1]]];
  let shift = 0;
  for (let i = 1; i < ring.length; i++) {
    const d = ring[i][0] - ring[i - 1][0];
    if (d > 180) shift -= 360;
    else if (d < -180) shift += 360;
    out.push([ring[i][0] + shift, ring[i][1]]);
  }
  const drift = out[out.length - 1][0] - out[0][0];
  if (Math.abs(drift) > 180) {
    // The ring goes once around a pole: close it along the pole.
    const pole = out.reduce((s, p) => s + p[1], 0) < 0 ? -90 : 90;
    const last = out[out.length - 1];
    out.push([last[0], pole], [out[0][0], pole], [out[0][0], out[0][1]]);
  }
  return out;
}

// Sutherland–Hodgman against one vertical half-plane: keep x >= edge (keepRight) or x <= edge.
function clipX(ring, edge, keepRight) {
  const inside = (p) => (keepRight ? p[0] >= edge : p[0] <= edge);
  const out = [];
  for (let i = 0; i < ring.length; i++) {
    const cur = ring[i];
    const prev = ring[(i + ring.length - 1) % ring.length];
    const cin = inside(cur);
    const pin = inside(prev);
    if (cin !== pin) {
      const t = (edge - prev[0]) / (cur[0] - prev[0]);
      out.push([edge, prev[1] + t * (cur[1] - prev[1])]);
    }
    if (cin) out.push(cur);
  }
  return out;
}

function closeRing(ring) {
  const [a, b] = [ring[0], ring[ring.length - 1]];
  if (a[0] !== b[0] || a[1] !== b[1]) ring.push([a[0], a[1]]);
  return ring;
}

function splitRing(ring) {
  const open = unwrap(ring).slice(0, -1);
  const pieces = [];
  for (const shift of [-360, 0, 360]) {
    let part = clipX(open, shift - 180, true);
    if (part.length) part = clipX(part, shift + 180, false);
    if (part.length >= 3) pieces.push(closeRing(part.map(([x, y]) => [x - shift, y])));
  }
  return pieces;
}

/** A GeoJSON Polygon or MultiPolygon, cut at the antimeridian (a MultiPolygon if it was). */
export function splitAtAntimeridian(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (!polygons.some((p) => p.some(crosses))) return geometry;
  const out = [];
  for (const polygon of polygons) {
    if (!polygon.some(crosses)) {
      out.push(polygon);
      continue;
    }
    // Crossing polygons of the 1:110m data have no holes; a hole would be dropped here.
    for (const piece of splitRing(polygon[0])) out.push([piece]);
  }
  return { type: 'MultiPolygon', coordinates: out };
}
