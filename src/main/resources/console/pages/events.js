// Events by the filters of GET /events, a page at a time (its `next` cursor), and the same filters'
// export (GET /exports/events, NDJSON or CSV) downloaded with the key in its header.

import {api, download} from '../api.js';
import {fill, h, notice, num, table} from '../dom.js';
import {ms, text, time} from '../format.js';

const TYPES = ['recipient.delivery_attempt', 'recipient.delivered', 'recipient.failed', 'recipient.feedback'];
const CATEGORIES = ['technical', 'business', 'authentication', 'internal'];
const REASONS = ['Connection Refused', 'Timeout', 'SSL/TLS Error', 'Server Error', 'DNS Failure', 'Duplicate Lead',
  'Invalid Data', 'Cap Reached', 'Rejected', 'Invalid Credentials', 'IP Not Whitelisted'];
const FILTERS = ['recipient_id', 'event_type', 'category', 'reason', 'lead_id', 'outcome', 'from', 'to', 'order', 'limit'];
const DEFAULT_LIMIT = '50';

export function render(page) {
  const filters = Object.fromEntries(FILTERS.map(name => [name, page.query.get(name) || '']));
  const results = h('div', {class: 'results'}, h('p', {class: 'muted'}, 'Loading…'));
  const status = h('div', {class: 'status'});
  const form = filterForm(filters);
  page.main.append(h('h1', {tabindex: '-1'}, 'Events'), form, exportButtons(page, filters, status), status, results);
  fillBuyers(form.elements.recipient_id, filters.recipient_id);
  const cursors = [null];
  const show = async () => {
    try {
      const answer = await api('/events', {params: {...filters, limit: filters.limit || DEFAULT_LIMIT, cursor: cursors.at(-1)}});
      if (!page.left) fill(results, eventTable(answer), pager(answer, cursors, show));
    } catch (error) {
      page.fail(error, 'search the events', results);
    }
  };
  show();
}

function filterForm(filters) {
  const field = (name, label, control) => h('div', {class: 'field'}, h('label', {for: `filter-${name}`}, label), control);
  const select = (name, options, any = 'any') => h('select', {id: `filter-${name}`, name},
    h('option', {value: ''}, any), options.map(o => h('option', {value: o, selected: filters[name] === o}, o)));
  const input = (name, props = {}) => h('input', {id: `filter-${name}`, name, value: filters[name], autocomplete: 'off', ...props});
  const form = h('form', {class: 'filters', 'aria-label': 'Event filters', on: {submit: event => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      const value = form.elements[name].value.trim();
      if (value) query.set(name, name === 'from' || name === 'to' ? new Date(value).toISOString() : value);
    }
    location.hash = `#/events?${query}`;
  }}},
  field('recipient_id', 'Buyer', select('recipient_id', filters.recipient_id ? [filters.recipient_id] : [])),
  field('event_type', 'Event type', select('event_type', TYPES)),
  field('category', 'Failure category', select('category', CATEGORIES)),
  field('reason', 'Failure reason', input('reason', {list: 'reasons'})),
  h('datalist', {id: 'reasons'}, REASONS.map(r => h('option', {value: r}))),
  field('lead_id', 'Lead id', input('lead_id', {spellcheck: 'false'})),
  field('outcome', 'Outcome', select('outcome', ['success', 'failed'])),
  field('from', 'From (your time)', input('from', {type: 'datetime-local', step: '1', value: local(filters.from)})),
  field('to', 'To (your time)', input('to', {type: 'datetime-local', step: '1', value: local(filters.to)})),
  field('order', 'Order', h('select', {id: 'filter-order', name: 'order'},
    h('option', {value: 'newest', selected: filters.order !== 'oldest'}, 'newest first'),
    h('option', {value: 'oldest', selected: filters.order === 'oldest'}, 'oldest first'))),
  field('limit', 'Per page', input('limit', {type: 'number', min: '1', max: '1000', value: filters.limit || DEFAULT_LIMIT})),
  h('div', {class: 'field actions'}, h('button', {type: 'submit'}, 'Search')));
  return form;
}

/** An instant as a datetime-local input's value, in the user's time zone. */
function local(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

/** The buyers in force as the buyer filter's choices. */
async function fillBuyers(select, chosen) {
  try {
    const answer = await api('/buyers');
    const ids = new Set([...select.options].map(o => o.value));
    for (const buyer of answer.buyers) {
      if (!ids.has(buyer.id)) select.append(h('option', {value: buyer.id, selected: buyer.id === chosen}, `${buyer.name} (${buyer.id})`));
    }
  } catch {
    // the filter still takes the id in the address; a missing key is asked for by the search itself
  }
}

function exportButtons(page, filters, status) {
  const exporting = format => async event => {
    event.target.disabled = true;
    fill(status, notice('info', `Preparing the ${format.toUpperCase()} export…`));
    try {
      const {limit, ...wanted} = filters;
      await download('/exports/events', {...wanted, format}, `events.${format}`);
      fill(status, notice('info', `Export downloaded as events.${format}.`));
    } catch (error) {
      page.fail(error, 'export the events', status);
    } finally {
      event.target.disabled = false;
    }
  };
  return h('div', {class: 'actions'},
    h('span', {}, 'Every event these filters find:'),
    h('button', {type: 'button', data: {export: 'ndjson'}, on: {click: exporting('ndjson')}}, 'Download NDJSON'),
    h('button', {type: 'button', data: {export: 'csv'}, on: {click: exporting('csv')}}, 'Download CSV'));
}

function eventTable(answer) {
  return table([
    {label: 'Time', cell: e => time(e.timestamp)},
    {label: 'Type', cell: e => e.event_type.replace('recipient.', '')},
    {label: 'Buyer', cell: e => text(e.recipient?.name ?? e.recipient?.id)},
    {label: 'Lead', cell: e => h('a', {href: `#/leads/${encodeURIComponent(e.lead_id)}`}, e.lead_id)},
    {label: 'Outcome', cell: e => text(e.outcome)},
    {label: 'Failure', cell: e => e.failure ? `${e.failure.category} / ${e.failure.reason}` : ''},
    num('Status', text, e => e.response?.status_code),
    {label: 'Duration', cell: e => e.duration_ms === undefined ? '' : ms(e.duration_ms), className: 'num'},
  ], answer.events, {rowData: e => ({eventId: e.event_id}), empty: 'No event matches these filters.'});
}

/** Previous and next pages: the cursors of the pages seen so far, the next one from the answer. */
function pager(answer, cursors, show) {
  const go = step => () => {
    if (step > 0) cursors.push(answer.next);
    else cursors.pop();
    show();
  };
  return h('nav', {class: 'pager', 'aria-label': 'Pages of events'},
    h('button', {type: 'button', disabled: cursors.length === 1, data: {page: 'previous'}, on: {click: go(-1)}}, 'Previous page'),
    h('span', {data: {pageNumber: cursors.length}}, `Page ${cursors.length}`),
    h('button', {type: 'button', disabled: !answer.next, data: {page: 'next'}, on: {click: go(1)}}, 'Next page'));
}
