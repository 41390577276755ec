// Bar charts with uPlot (served by the router from its WebJar). Each chart has its figures in a table
// beside it, so nothing is shown only as a picture.

import uPlot from './vendor/uplot/uPlot.esm.js';
import {h} from './dom.js';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2'];
const HEIGHT = 220;

/**
 * A bar chart of categories: labels along the x axis, one bar per series at each ({label, values}).
 * Drawn once the returned element is in the page (its width is the container's), redrawn at each
 * resize, and removed with the page.
 */
export function barChart(name, description, labels, series, {format = String, max} = {}) {
  const holder = h('div', {class: 'chart', role: 'img', 'aria-label': description, data: {chart: name}});
  if (labels.length === 0) return h('p', {class: 'empty'}, 'Nothing to chart in this period.');
  const draw = () => {
    const plot = new uPlot(options(labels, series, format, max, holder.clientWidth || 320),
      [labels.map((_, i) => i), ...series.map(s => s.values.map(v => v ?? null))], holder);
    let width = holder.clientWidth;
    new ResizeObserver(() => {
      if (holder.isConnected && holder.clientWidth !== width) {
        width = holder.clientWidth;
        plot.setSize({width, height: HEIGHT});
      }
    }).observe(holder);
  };
  // the element's width is known once it is in the page: the next frame
  requestAnimationFrame(() => {
    if (holder.isConnected) draw();
  });
  return holder;
}

function options(labels, series, format, max, width) {
  const short = text => (text.length > 14 ? text.slice(0, 13) + '…' : text);
  const count = series.length;
  return {
    width,
    height: HEIGHT,
    scales: {
      x: {time: false, range: [-0.5, labels.length - 0.5]},
      y: {range: (u, low, high) => [0, max ?? (high > 0 ? high * 1.1 : 1)]},
    },
    axes: [
      {splits: () => labels.map((_, i) => i), values: (u, splits) => splits.map(i => short(labels[i] ?? '')), size: 36},
      {values: (u, splits) => splits.map(format), size: 64},
    ],
    series: [
      {label: 'of', value: (u, i) => (i === null ? '' : labels[i] ?? '')},
      ...series.map((s, i) => ({
        label: s.label,
        stroke: COLORS[i % COLORS.length],
        fill: COLORS[i % COLORS.length] + 'b0',
        width: 1,
        points: {show: false},
        value: (u, v) => (v === null ? '–' : format(v)),
        paths: uPlot.paths.bars({size: [0.7 / count, 64], align: count === 1 ? 0 : i === 0 ? -1 : 1}),
      })),
    ],
    cursor: {drag: {x: false, y: false}},
  };
}
