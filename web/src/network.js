// The actor network: Cytoscape, nodes = actor codes sized by events, directed edges weighted
// by events and coloured by mean Goldstein (red, grey, green).
import cytoscape from 'cytoscape';
import { goldsteinColor, h, fill, fmt } from './dom.js';

export function createNetwork(container, { onActor }) {
  const tip = h('div', { class: 'map-tip', hidden: true });
  container.parentElement.appendChild(tip);
  const cy = cytoscape({
    container,
    minZoom: 0.2,
    maxZoom: 4,
    style: [
      {
        selector: 'node',
        style: {
          'background-color': '#5b6b7f',
          label: 'data(id)',
          'font-size': 11,
          'font-family': 'system-ui, sans-serif',
          color: '#222',
          'text-valign': 'bottom',
          'text-margin-y': 3,
          'text-outline-color': '#fff',
          'text-outline-width': 2,
          width: 'mapData(events, 1, 40, 16, 60)',
          height: 'mapData(events, 1, 40, 16, 60)',
        },
      },
      {
        selector: 'edge',
        style: {
          width: 'mapData(events, 1, 20, 1.2, 10)',
          'line-color': 'data(color)',
          'target-arrow-color': 'data(color)',
          'target-arrow-shape': 'triangle',
          'arrow-scale': 0.9,
          'curve-style': 'bezier',
          opacity: 0.85,
        },
      },
      { selector: 'node:active, node.hover', style: { 'background-color': '#1f4e8c' } },
    ],
  });
  // Labels keep one size on screen whatever the zoom that fitting the graph needs.
  const labelSize = () => {
    const z = cy.zoom();
    cy.style().selector('node').style({ 'font-size': 11 / z, 'text-outline-width': 2 / z, 'text-margin-y': 3 / z }).update();
  };
  cy.on('zoom', labelSize);
  cy.on('tap', 'node', (e) => onActor(e.target.id()));
  cy.on('mouseover', 'node', (e) => {
    e.target.addClass('hover');
    container.style.cursor = 'pointer';
  });
  cy.on('mouseout', 'node', (e) => {
    e.target.removeClass('hover');
    container.style.cursor = '';
  });
  cy.on('mouseover', 'edge', (e) => {
    const d = e.target.data();
    fill(tip, `${d.source} → ${d.target}: ${fmt.num(d.events)} events, mean Goldstein ${fmt.g(d.goldstein)}`);
    tip.hidden = false;
    const p = e.renderedPosition;
    tip.style.left = `${p.x + 12}px`;
    tip.style.top = `${p.y + 12}px`;
  });
  cy.on('mouseout', 'edge', () => { tip.hidden = true; });

  return {
    cy,
    setGraph({ nodes = [], edges = [] }) {
      cy.elements().remove();
      const ids = new Set(nodes.map((n) => n.id));
      cy.add(nodes.map((n) => ({ group: 'nodes', data: { id: String(n.id), events: n.events } })));
      cy.add(edges
        .filter((e) => ids.has(e.source) && ids.has(e.target))
        .map((e, i) => ({
          group: 'edges',
          data: {
            id: `e${i}`, source: String(e.source), target: String(e.target), events: e.events,
            goldstein: e.goldstein, color: goldsteinColor(e.goldstein),
          },
        })));
      const layout = nodes.length > 1
        ? { name: 'cose', animate: false, nodeRepulsion: () => 40000, idealEdgeLength: () => 50, nodeOverlap: 40, componentSpacing: 20, gravity: 2, numIter: 1500, padding: 20, randomize: true }
        : { name: 'grid', padding: 40 };
      cy.layout(layout).run();
      cy.fit(undefined, 20);
      container.dataset.nodes = String(cy.nodes().length);
      container.dataset.ready = '1';
    },
    resize() {
      cy.resize();
      cy.fit(undefined, 20);
    },
  };
}
