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
export function barChart(name, description, labels, series, {format = String, max, whole = false} = {}) {
  const holder = h('div', {class: 'chart', role: 'img', 'aria-label': description, data: {chart: name}});
  if (labels.length === 0) return h('p', {class: 'empty'}, 'Nothing to chart in this period.');
  const draw = () => {
    const plot = new uPlot(options(labels, series, format, max, whole, holder.clientWidth || 320),
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

/** Room for each category's label on the x axis, in CSS pixels. */
const slot = (u, labels) => u.bbox.width / uPlot.pxRatio / labels.length;

/** Steps of a y axis of counts: whole numbers only. */
const WHOLE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

function options(labels, series, format, max, whole, width) {
  const count = series.length;
  // as many labels as fit (every other hour on a phone), each cut to the room it has
  const step = u => Math.max(1, Math.ceil(24 / slot(u, labels)));
  const short = (u, text) => {
    const chars = Math.max(2, Math.floor(slot(u, labels) * step(u) / 7.5));
    return text.length > chars ? text.slice(0, chars - 1) + '…' : text;
  };
  return {
    width,
    height: HEIGHT,
    scales: {
      x: {time: false, range: [-0.5, labels.length - 0.5]},
      y: {range: (u, low, high) => [0, max ?? (high > 0 ? high * 1.1 : 1)]},
    },
    axes: [
      {splits: u => labels.map((_, i) => i).filter(i => i % step(u) === 0),
        values: (u, splits) => splits.map(i => short(u, labels[i] ?? '')), size: 36},
      {values: (u, splits) => splits.map(format), size: 64, ...(whole ? {incrs: WHOLE} : {})},
    ],
    series: [
      {label: '', value: (u, i) => (i === null ? '' : labels[i] ?? '')},
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
    // the values under the cursor, for charts of more than one series (the table beside has them all)
    legend: {show: count > 1},
    cursor: {drag: {x: false, y: false}},
  };
}
