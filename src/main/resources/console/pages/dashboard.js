// The spec's real-time monitoring: delivery rate, active deliveries, recent failures, response times,
// revenue today and open alerts, each read from the API every few seconds.

import {api} from '../api.js';
import {figure, fill, h, num, table} from '../dom.js';
import {BUCKETS, count, money, ms, percent, text, time, utcClock} from '../format.js';
import {lastHours, todayUtc} from '../ranges.js';

const REFRESH_MS = 3000;
/** Active deliveries are counted from this many of the latest events of this many minutes. */
const ACTIVE_EVENTS = 1000;
const ACTIVE_MINUTES = 15;
const RECENT_FAILURES = 8;

export function render(page) {
  const updated = h('p', {class: 'muted', 'aria-live': 'off', data: {updated: ''}}, 'Loading…');
  const cards = {
    delivery: card('Delivery rate', 'delivery'),
    active: card('Active deliveries', 'active'),
    failures: card('Failures', 'failures'),
    responses: card('Response times', 'responses'),
    revenue: card('Revenue today', 'revenue'),
    alerts: card('Open alerts', 'alerts'),
  };
  page.main.append(
    h('div', {class: 'page-head'},
      h('h1', {tabindex: '-1'}, 'Dashboard'),
      h('button', {type: 'button', class: 'quiet', on: {click: () => refresh(page, cards, updated)}}, 'Refresh now')),
    updated,
    h('div', {class: 'cards'}, Object.values(cards).map(c => c.section)));
  page.every(REFRESH_MS, () => refresh(page, cards, updated));
}

function card(title, name) {
  const body = h('div', {class: 'card-body'}, h('p', {class: 'muted'}, 'Loading…'));
  const section = h('section', {class: 'card', 'aria-labelledby': `card-${name}`, data: {card: name}},
    h('h2', {id: `card-${name}`}, title), body);
  return {section, body};
}

/** One round: every figure asked for at once, each card drawn when its answers are in. */
async function refresh(page, cards, updated) {
  const hour = lastHours(1);
  const today = todayUtc();
  const since = new Date(Date.now() - ACTIVE_MINUTES * 60_000).toISOString();
  const draw = (c, doing, calls, drawing, range) => Promise.all(calls).then(answers => {
    if (page.left) return;
    if (range) Object.assign(c.section.dataset, range.to ? {rangeFrom: range.from, rangeTo: range.to} : {rangeFrom: range.from});
    fill(c.body, drawing(...answers, range));
  }).catch(error => page.fail(error, doing, c.body));
  await Promise.all([
    draw(cards.delivery, 'read the delivery rate', [api('/analytics/delivery', {params: hour})], deliveryRate, hour),
    draw(cards.active, 'read the active deliveries', [
      api('/events', {params: {from: since, order: 'newest', limit: ACTIVE_EVENTS}}), api('/buyers')], activeDeliveries, {from: since}),
    draw(cards.failures, 'read the failures', [
      api('/analytics/failures', {params: hour}),
      api('/events', {params: {event_type: 'recipient.failed', order: 'newest', limit: RECENT_FAILURES}})], failures, hour),
    draw(cards.responses, 'read the response times', [api('/analytics/response-times', {params: hour})], responseTimes, hour),
    draw(cards.revenue, 'read the revenue', [api('/analytics/revenue', {params: today})], revenue, today),
    draw(cards.alerts, 'read the alerts', [api('/alerts')], openAlerts),
  ]);
  if (!page.left) {
    const now = new Date();
    updated.dataset.updated = now.toISOString();
    fill(updated, `Updated ${now.toLocaleTimeString('en-GB')}; every ${REFRESH_MS / 1000} s while this page is open.`);
  }
}

function deliveryRate(d, range) {
  return [
    figure('delivery_rate', 'Delivery rate', d.delivery_rate, percent(d.delivery_rate)),
    h('p', {class: 'muted'}, figure('delivered', 'Delivered', d.delivered, count(d.delivered)),
      figure('offers', 'Offers', d.offers, count(d.offers)), ` since ${utcClock(range.from)}`),
    table([
      {label: 'Buyer', cell: b => text(b.name ?? b.recipient_id)},
      num('Rate', percent, 'delivery_rate'),
      num('Offers', count, 'offers'),
    ], d.by_buyer, {rowData: b => ({buyerId: b.recipient_id}), empty: 'No offers ended in this hour.'}),
  ];
}

/**
 * Offers under way: a buyer's part in a lead whose latest event is an attempt not answered yet, or a
 * failure a retry follows (metadata.final false). Counted from the newest events of the last minutes.
 */
export function countActive(eventsNewestFirst) {
  const seen = new Set();
  let active = 0;
  for (const event of eventsNewestFirst) {
    if (!['recipient.delivery_attempt', 'recipient.delivered', 'recipient.failed'].includes(event.event_type)) continue;
    const offer = `${event.lead_id} ${event.recipient?.id}`;
    if (seen.has(offer)) continue;
    seen.add(offer);
    if (event.event_type === 'recipient.delivery_attempt'
        || (event.event_type === 'recipient.failed' && event.metadata?.final === false)) active++;
  }
  return active;
}

function activeDeliveries(latest, buyers) {
  const active = countActive(latest.events);
  const held = buyers.buyers.reduce((sum, b) => sum + (b.circuit?.held_leads ?? 0), 0);
  const notClosed = buyers.buyers.filter(b => b.circuit && b.circuit.state !== 'closed');
  return [
    figure('active_deliveries', 'In progress', active, count(active)),
    h('p', {class: 'muted'}, `Attempts awaiting an answer or a retry, among the latest ${count(ACTIVE_EVENTS)} events `
      + `of the last ${ACTIVE_MINUTES} minutes${latest.next ? ' (there were more)' : ''}.`),
    figure('held_leads', 'Held', held, count(held)),
    notClosed.length === 0 ? h('p', {class: 'muted'}, 'Every buyer\'s circuit is closed.')
      : h('ul', {class: 'plain'}, notClosed.map(b => h('li', {data: {buyerId: b.id}},
        `${b.name}: ${b.circuit.state}, ${count(b.circuit.held_leads)} held`))),
  ];
}

function failures(f, recent, range) {
  return [
    figure('failures', 'Failed attempts', f.failures, count(f.failures)),
    h('p', {class: 'muted'}, `since ${utcClock(range.from)}; the latest:`),
    recent.events.length === 0 ? h('p', {class: 'empty'}, 'No failures.')
      : h('ul', {class: 'failures'}, recent.events.map(e => h('li', {data: {eventId: e.event_id}},
        h('span', {class: 'when'}, time(e.timestamp)), ' ',
        h('strong', {}, text(e.recipient?.name ?? e.recipient?.id)), ': ',
        `${text(e.failure?.category)} / ${text(e.failure?.reason)} `,
        h('a', {href: `#/leads/${encodeURIComponent(e.lead_id)}`}, e.lead_id)))),
    h('p', {}, h('a', {href: '#/events?event_type=recipient.failed'}, 'All failures')),
  ];
}

function responseTimes(r) {
  return [
    figure('response_mean_ms', 'Mean', r.mean_ms, ms(r.mean_ms)),
    h('div', {class: 'figures'},
      figure('response_p50_ms', 'p50', r.p50_ms, ms(r.p50_ms)),
      figure('response_p95_ms', 'p95', r.p95_ms, ms(r.p95_ms)),
      figure('response_p99_ms', 'p99', r.p99_ms, ms(r.p99_ms))),
    buckets(r.buckets, 'bucket_'),
    h('p', {class: 'muted'}, `${count(r.count)} answers this hour.`),
  ];
}

/** The four buckets as meters, each with its share. */
export function buckets(shares, prefix) {
  return h('dl', {class: 'buckets'}, BUCKETS.map(([name, label]) => [
    h('dt', {}, label),
    h('dd', {}, h('meter', {min: '0', max: '1', value: String(shares?.[name] ?? 0), 'aria-label': label}), ' ',
      h('span', {data: {figure: prefix + name, value: shares?.[name] ?? ''}}, percent(shares?.[name]))),
  ]));
}

function revenue(r, range) {
  return [
    figure('revenue_today', 'Revenue', r.revenue, money(r.revenue)),
    h('div', {class: 'figures'},
      figure('delivered_today', 'Delivered', r.delivered, count(r.delivered)),
      figure('net_revenue_today', 'Net of returns', r.net_revenue, money(r.net_revenue))),
    h('p', {class: 'muted'}, `since ${utcClock(range.from)}`),
  ];
}

function openAlerts(answer) {
  const open = answer.alerts.filter(a => a.status === 'open');
  return [
    figure('open_alerts', 'Open', open.length, count(open.length)),
    open.length === 0 ? h('p', {class: 'empty'}, 'No open alerts.')
      : h('ul', {class: 'plain'}, open.map(a => h('li', {data: {alertId: a.id}},
        h('strong', {}, text(a.alert)), ` ${text(a.recipient_id)}: ${text(a.message)} (since ${time(a.raised_at)})`))),
  ];
}
