// The timeline: uPlot bars of events per date, stacked by quad class.
import uPlot from 'uplot';
import { fill, h } from './dom.js';

export const QUADS = [
  { key: 'q1', label: 'Verbal cooperation', color: '#4c9be8' },
  { key: 'q2', label: 'Material cooperation', color: '#2e7d4f' },
  { key: 'q3', label: 'Verbal conflict', color: '#f0a030' },
  { key: 'q4', label: 'Material conflict', color: '#c8372d' },
];

const toTime = (date) => Date.parse(`${date}T00:00:00Z`) / 1000;

export function createTimeline(container, { onRange }) {
  let plot = null;
  let raw = [];
  let bucket = 'day';

  function build(width) {
    // uPlot draws series in order and bars start at zero: draw the full stack first and each
    // lower part over it, so series i shows the sum of quads 1..(4-i).
    const series = [{}];
    for (let i = QUADS.length - 1; i >= 0; i--) {
      const q = QUADS[i];
      series.push({
        label: q.label,
        stroke: q.color,
        fill: q.color,
        width: 0,
        paths: uPlot.paths.bars({ size: [0.8, 28], align: 0 }),
        points: { show: false },
        value: (u, v, si, idx) => (idx === null || idx === undefined ? '–' : String(raw[idx]?.[q.key] ?? 0)),
      });
    }
    return new uPlot({
      width,
      height: 190,
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.05] } },
      axes: [
        { stroke: '#555', grid: { stroke: '#eee' }, ticks: { stroke: '#ccc' } },
        { stroke: '#555', grid: { stroke: '#eee' }, ticks: { stroke: '#ccc' }, size: 40 },
      ],
      series,
      hooks: {
        setSelect: [(u) => {
          if (u.select.width < 2) return;
          const from = u.posToVal(u.select.left, 'x');
          const to = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
          const iso = (t) => new Date(t * 1000).toISOString().slice(0, 10);
          onRange(iso(from), iso(to));
        }],
      },
    }, [[], [], [], [], []], container);
  }

  function data() {
    const xs = raw.map((r) => toTime(r.date));
    const cols = [xs];
    for (let i = QUADS.length - 1; i >= 0; i--) {
      cols.push(raw.map((r) => QUADS.slice(0, i + 1).reduce((s, q) => s + (r[q.key] ?? 0), 0)));
    }
    return cols;
  }

  const note = h('div', { class: 'timeline-note' });
  container.before(note);

  return {
    setSeries(result) {
      raw = result.series ?? [];
      bucket = result.bucket ?? 'day';
      const width = Math.max(300, container.clientWidth);
      if (!plot) plot = build(width);
      plot.setData(data());
      // Show the focus (the middle 90% of the events) rather than stretching the axis to
      // reported history decades back; a drag or the date filters reach the rest.
      const from = result.from ? toTime(result.from) : null;
      const to = result.to ? toTime(result.to) : null;
      let outside = 0;
      if (raw.length === 1) {
        const t = toTime(raw[0].date);
        plot.setScale('x', { min: t - 86400 * 3, max: t + 86400 * 3 });
      } else if (from !== null && to !== null) {
        const pad = Math.max(86400, (to - from) * 0.02);
        plot.setScale('x', { min: from - pad, max: to + pad });
        outside = raw.filter((r) => toTime(r.date) < from - pad || toTime(r.date) > to + pad)
          .reduce((s, r) => s + r.q1 + r.q2 + r.q3 + r.q4, 0);
      }
      const total = raw.reduce((s, r) => s + r.q1 + r.q2 + r.q3 + r.q4, 0);
      const rest = outside ? ` (${outside.toLocaleString('en-GB')} dated outside the range shown: set Since/Until to see them)` : '';
      fill(note, `${total.toLocaleString('en-GB')} events per ${bucket}${rest}`, raw.length ? '' : ' — no events match');
      container.dataset.points = String(raw.length);
      container.dataset.ready = '1';
    },
    resize() {
      if (plot) plot.setSize({ width: Math.max(300, container.clientWidth), height: 190 });
    },
  };
}
