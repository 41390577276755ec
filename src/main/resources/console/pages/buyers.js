// Each buyer: score, delivery rate by period, response-time buckets, failure reasons, revenue, its
// circuit, and pause and resume (keys with the operate role).

import {api} from '../api.js';
import {figure, fill, h, notice, num, table} from '../dom.js';
import {count, money, ms, percent, PERIODS, text, time} from '../format.js';
import {chosen} from '../ranges.js';
import {buckets} from './dashboard.js';
import {rangePicker} from './range-picker.js';

export function render(page) {
  const range = chosen(page.query.get('range'));
  const list = h('div', {class: 'buyers'}, h('p', {class: 'muted'}, 'Loading…'));
  page.main.append(
    h('div', {class: 'page-head'}, h('h1', {tabindex: '-1'}, 'Buyers'), rangePicker('buyers', range)),
    list);
  load(page, range, list);
}

async function load(page, range, list) {
  const params = {from: range.from, to: range.to};
  try {
    const [buyers, scores, delivery, responses, revenue] = await Promise.all([
      api('/buyers'), api('/analytics/buyer-scores', {params}), api('/analytics/delivery', {params}),
      api('/analytics/response-times', {params}), api('/analytics/revenue', {params})]);
    const own = await Promise.all(buyers.buyers.map(b => Promise.all([
      api('/analytics/delivery', {params: {...params, recipient_id: b.id}}),
      api('/analytics/failures', {params: {...params, recipient_id: b.id}})])));
    if (page.left) return;
    const of = (rows, id) => (rows || []).find(row => row.recipient_id === id) || {};
    fill(list,
      buyers.buyers.length === 0 ? h('p', {class: 'empty'}, 'No buyer is in force: add a buyer file.') : null,
      buyers.buyers.map((buyer, i) => buyerCard(page, buyer, {
        score: of(scores, buyer.id), delivery: of(delivery.by_buyer, buyer.id), responses: of(responses.by_buyer, buyer.id),
        revenue: of(revenue.by_buyer, buyer.id), periods: own[i][0].by_period, failures: own[i][1].by_reason,
      }, () => load(page, range, list))),
      problems(buyers.files));
    page.main.dataset.rangeFrom = range.from;
    page.main.dataset.rangeTo = range.to;
  } catch (error) {
    page.fail(error, 'read the buyers', list);
  }
}

function buyerCard(page, buyer, figures, reload) {
  const circuit = buyer.circuit || {state: 'closed', held_leads: 0};
  const message = h('div', {class: 'status'});
  return h('article', {class: 'card buyer', data: {buyerId: buyer.id}, 'aria-labelledby': `buyer-${buyer.id}`},
    h('header', {class: 'buyer-head'},
      h('h2', {id: `buyer-${buyer.id}`}, buyer.name),
      h('span', {class: 'id'}, buyer.id),
      h('span', {class: `state state-${circuit.state}`, data: {field: 'circuit'}}, circuit.state)),
    h('div', {class: 'figures'},
      figure('score', 'Score', figures.score.score, text(figures.score.score)),
      figure('delivery_rate', 'Delivery rate', figures.delivery.delivery_rate, percent(figures.delivery.delivery_rate)),
      figure('revenue', 'Revenue', figures.revenue.revenue, money(figures.revenue.revenue)),
      figure('mean_response_ms', 'Mean response', figures.responses.mean_ms, ms(figures.responses.mean_ms))),
    h('section', {class: 'circuit'},
      h('h3', {}, 'Circuit'),
      h('p', {}, `${circuit.state}, ${count(circuit.held_leads)} held lead(s)`,
        circuit.since ? ` since ${time(circuit.since)}` : '', circuit.reason ? `: ${circuit.reason}` : ''),
      circuitButtons(page, buyer, circuit, reload, message),
      message),
    h('section', {},
      h('h3', {}, 'Delivery rate by period'),
      table([
        {label: 'Period', cell: ([, label]) => label},
        num('Rate', percent, ([name]) => figures.periods?.[name]?.delivery_rate),
        num('Offers', count, ([name]) => figures.periods?.[name]?.offers),
      ], PERIODS, {rowData: ([name]) => ({period: name})})),
    h('section', {},
      h('h3', {}, 'Response times'),
      buckets(figures.responses.buckets, 'bucket_')),
    h('section', {},
      h('h3', {}, 'Failure reasons'),
      table([
        {label: 'Reason', cell: r => `${r.category} / ${r.reason}`},
        num('Failures', count, 'count'),
        num('Share', percent, 'share'),
      ], figures.failures, {rowData: r => ({reason: r.reason}), empty: 'No failures in this period.'})),
    h('details', {},
      h('summary', {}, 'Buyer file'),
      h('dl', {class: 'pairs'},
        h('dt', {}, 'File'), h('dd', {}, text(buyer.file)),
        h('dt', {}, 'URL'), h('dd', {class: 'wrap'}, text(buyer.url)),
        h('dt', {}, 'Price'), h('dd', {}, money(buyer.price)),
        h('dt', {}, 'Priority'), h('dd', {}, text(buyer.priority)),
        h('dt', {}, 'Exclusive'), h('dd', {}, buyer.exclusive ? 'yes' : 'no'),
        h('dt', {}, 'Enabled'), h('dd', {}, buyer.enabled ? 'yes' : 'no'))));
}

/** Pause while the buyer's leads go out; resume while they are held (paused, or an open circuit). */
function circuitButtons(page, buyer, circuit, reload, message) {
  const act = (action, doing) => async event => {
    event.target.disabled = true;
    try {
      await api(`/buyers/${encodeURIComponent(buyer.id)}/${action}`, {method: 'POST'});
      await reload();
    } catch (error) {
      event.target.disabled = false;
      page.fail(error, doing, message);
    }
  };
  return h('div', {class: 'actions'},
    circuit.state !== 'paused'
      ? h('button', {type: 'button', data: {action: 'pause'}, on: {click: act('pause', `pause ${buyer.name}`)}}, 'Pause') : null,
    circuit.state !== 'closed'
      ? h('button', {type: 'button', data: {action: 'resume'}, on: {click: act('resume', `resume ${buyer.name}`)}}, 'Resume') : null,
    h('span', {class: 'muted'}, 'needs an operate key'));
}

function problems(files) {
  const broken = (files || []).filter(f => f.problem);
  return broken.length === 0 ? null : h('section', {class: 'card'},
    h('h2', {}, 'Buyer files refused'),
    notice('warn', `${broken.length} buyer file(s) could not be loaded; their buyers keep their previous settings, if any.`),
    table([
      {label: 'File', cell: f => f.file},
      {label: 'Problem', cell: f => f.problem, className: 'wrap'},
    ], broken));
}
