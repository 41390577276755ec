// The analytics endpoints as charts, each with its figures as a table: delivery rate by buyer and
// period, failure patterns with their spikes, response-time buckets, revenue by buyer and day, retry
// success by attempt, and the buyers' scores.

import {api} from '../api.js';
import {barChart} from '../charts.js';
import {fill, h, num, table} from '../dom.js';
import {BUCKETS, count, money, ms, percent, PERIODS, text} from '../format.js';
import {chosen} from '../ranges.js';
import {rangePicker} from './range-picker.js';

export async function render(page) {
  const range = chosen(page.query.get('range'));
  const body = h('div', {class: 'analytics'}, h('p', {class: 'muted'}, 'Loading…'));
  page.main.append(h('div', {class: 'page-head'}, h('h1', {tabindex: '-1'}, 'Analytics'), rangePicker('analytics', range)), body);
  const params = {from: range.from, to: range.to};
  try {
    const [delivery, failures, responses, revenue, retries, scores] = await Promise.all(
      ['delivery', 'failures', 'response-times', 'revenue', 'retries', 'buyer-scores'].map(name => api(`/analytics/${name}`, {params})));
    if (page.left) return;
    page.main.dataset.rangeFrom = range.from;
    page.main.dataset.rangeTo = range.to;
    fill(body,
      h('p', {class: 'muted'}, `${range.label}: from ${new Date(range.from).toLocaleString('en-GB')} to ${new Date(range.to).toLocaleString('en-GB')}.`),
      h('div', {class: 'cards wide'},
        deliverySection(delivery), failureSection(failures), responseSection(responses),
        revenueSection(revenue), retrySection(retries), scoreSection(scores)));
  } catch (error) {
    page.fail(error, 'read the analytics', body);
  }
}

function section(name, title, ...content) {
  return h('section', {class: 'card', data: {section: name}, 'aria-labelledby': `analytics-${name}`},
    h('h2', {id: `analytics-${name}`}, title), content);
}

const buyerName = b => text(b.name ?? b.recipient_id);

function deliverySection(d) {
  return section('delivery', `Delivery rate: ${percent(d.delivery_rate)} of ${count(d.offers)} offers`,
    h('h3', {}, 'By buyer'),
    barChart('delivery-by-buyer', 'Delivery rate by buyer', d.by_buyer.map(buyerName),
      [{label: 'Delivery rate', values: d.by_buyer.map(b => b.delivery_rate)}], {format: percent, max: 1}),
    table([
      {label: 'Buyer', cell: buyerName},
      num('Offers', count, 'offers'),
      num('Delivered', count, 'delivered'),
      num('Rate', percent, 'delivery_rate'),
    ], d.by_buyer, {rowData: b => ({buyerId: b.recipient_id, value: b.delivery_rate ?? ''})}),
    h('h3', {}, 'By period'),
    barChart('delivery-by-period', 'Delivery rate by period', PERIODS.map(([, label]) => label),
      [{label: 'Delivery rate', values: PERIODS.map(([p]) => d.by_period[p].delivery_rate)}], {format: percent, max: 1}),
    table([
      {label: 'Period', cell: ([, label]) => label},
      num('Offers', count, ([p]) => d.by_period[p].offers),
      num('Rate', percent, ([p]) => d.by_period[p].delivery_rate),
    ], PERIODS, {rowData: ([p]) => ({period: p})}));
}

function failureSection(f) {
  return section('failures', `Failure patterns: ${count(f.failures)} failed attempts`,
    h('h3', {}, 'Spikes'),
    table([
      {label: 'Buyer', cell: buyerName},
      {label: 'Reason', cell: s => `${s.category} / ${s.reason}`},
      {label: 'Hour', cell: s => `${String(s.hour).padStart(2, '0')}:00`, className: 'num'},
      num('Failures', count, 'count'),
      {label: 'Mean per hour', cell: s => Number(s.mean_per_hour).toFixed(1), className: 'num'},
    ], f.spikes, {rowData: s => ({buyerId: s.recipient_id, reason: s.reason}),
      empty: 'No spike: no buyer failed for one reason at three times its usual rate in an hour of the day.'}),
    h('h3', {}, 'By hour of day'),
    barChart('failures-by-hour', 'Failed attempts by hour of day', f.by_hour.map(x => String(x.hour).padStart(2, '0')),
      [{label: 'Failures', values: f.by_hour.map(x => x.count)}], {format: count, whole: true}),
    h('h3', {}, 'By reason'),
    table([
      {label: 'Category', cell: r => r.category},
      {label: 'Reason', cell: r => r.reason},
      num('Failures', count, 'count'),
      num('Share', percent, 'share'),
    ], f.by_reason, {rowData: r => ({reason: r.reason})}),
    h('h3', {}, 'By buyer'),
    table([
      {label: 'Buyer', cell: buyerName},
      num('Failures', count, 'count'),
      num('Share', percent, 'share'),
    ], f.by_buyer),
    h('h3', {}, 'By weekday'),
    table([
      {label: 'Weekday', cell: w => text(w.weekday).replace(/^./, first => first.toUpperCase())},
      num('Failures', count, 'count'),
      num('Share', percent, 'share'),
    ], f.by_weekday));
}

function responseSection(r) {
  return section('responses', `Response times: mean ${ms(r.mean_ms)}, p95 ${ms(r.p95_ms)}`,
    barChart('response-buckets', 'Share of answers in each response-time bucket', BUCKETS.map(([, label]) => label),
      [{label: 'Share', values: BUCKETS.map(([b]) => r.buckets?.[b] ?? null)}], {format: percent, max: 1}),
    table([
      {label: 'Buyer', cell: buyerName},
      num('Answers', count, 'count'),
      num('Mean', ms, 'mean_ms'),
      num('p50', ms, 'p50_ms'),
      num('p95', ms, 'p95_ms'),
      num('p99', ms, 'p99_ms'),
      ...BUCKETS.map(([b, label]) => num(label.split(' (')[0], percent, x => x.buckets?.[b])),
    ], r.by_buyer, {rowData: b => ({buyerId: b.recipient_id})}));
}

function revenueSection(r) {
  return section('revenue', `Revenue: ${money(r.revenue)} (net ${money(r.net_revenue)})`,
    h('h3', {}, 'By buyer'),
    barChart('revenue-by-buyer', 'Revenue by buyer', r.by_buyer.map(buyerName),
      [{label: 'Revenue', values: r.by_buyer.map(b => b.revenue)}, {label: 'Net', values: r.by_buyer.map(b => b.net_revenue)}],
      {format: money}),
    table([
      {label: 'Buyer', cell: buyerName},
      num('Delivered', count, 'delivered'),
      num('Revenue', money, 'revenue'),
      num('Share', percent, 'share'),
      num('Average price', money, 'average_price'),
      num('Returned', money, 'returned'),
    ], r.by_buyer, {rowData: b => ({buyerId: b.recipient_id, value: b.revenue})}),
    h('h3', {}, 'By day'),
    barChart('revenue-by-day', 'Revenue by day', r.by_day.map(d => d.day),
      [{label: 'Revenue', values: r.by_day.map(d => d.revenue)}, {label: 'Net', values: r.by_day.map(d => d.net_revenue)}],
      {format: money}),
    table([
      {label: 'Day', cell: d => d.day},
      num('Delivered', count, 'delivered'),
      num('Revenue', money, 'revenue'),
      num('Net', money, 'net_revenue'),
    ], r.by_day, {rowData: d => ({day: d.day})}));
}

function retrySection(r) {
  return section('retries', `Retry success over ${count(r.offers)} offers`,
    h('h3', {}, 'Delivered at attempt'),
    barChart('retries-by-attempt', 'Share of offers delivered at each attempt', r.by_attempt.map(a => `#${a.attempt}`),
      [{label: 'Share', values: r.by_attempt.map(a => a.share)}], {format: percent, max: 1}),
    table([
      num('Attempt', String, 'attempt'),
      num('Delivered', count, 'delivered'),
      num('Share of offers', percent, 'share'),
    ], r.by_attempt, {rowData: a => ({attempt: a.attempt})}),
    h('h3', {}, 'Recovered by a retry, by reason'),
    table([
      {label: 'Reason', cell: x => `${x.category} / ${x.reason}`},
      num('Retried', count, 'retried'),
      num('Recovered', count, 'recovered'),
      num('Rate', percent, 'recovery_rate'),
    ], r.by_reason));
}

function scoreSection(scores) {
  return section('scores', 'Buyer scores',
    table([
      {label: 'Buyer', cell: buyerName},
      num('Score', text, 'score'),
      num('Delivery rate', percent, 'delivery_rate'),
      num('Mean response', ms, 'mean_response_ms'),
      num('Average price', money, 'average_price'),
      num('Feedback rate', percent, 'feedback_rate'),
    ], scores, {rowData: s => ({buyerId: s.recipient_id, score: s.score})}));
}
