// The spec's lead details page and failure investigation: the lead as received, its state, each
// buyer's part, the timeline of its events, and for each attempt the request sent (credentials
// masked by the router) and the answer received, with the failure's category and reason.

import {api, ApiError} from '../api.js';
import {figure, fill, h, notice, num, pretty, table} from '../dom.js';
import {money, ms, text, time} from '../format.js';

export function render(page) {
  const leadId = page.args[0];
  page.main.append(h('h1', {tabindex: '-1'}, leadId ? ['Lead ', h('span', {class: 'title-id'}, leadId)] : 'Lead details'), lookup(leadId));
  if (leadId) show(page, leadId);
}

function lookup(leadId) {
  const input = h('input', {id: 'lead-id', name: 'lead_id', value: leadId || '', required: true, autocomplete: 'off',
    spellcheck: 'false', pattern: 'lead_[A-Za-z0-9]{16}', title: 'lead_ and 16 letters or digits'});
  return h('form', {class: 'inline-form', on: {submit: event => {
    event.preventDefault();
    location.hash = `#/leads/${encodeURIComponent(input.value.trim())}`;
  }}}, h('label', {for: 'lead-id'}, 'Lead id'), input, h('button', {type: 'submit'}, 'Open'));
}

async function show(page, leadId) {
  const id = encodeURIComponent(leadId);
  const body = h('div', {}, h('p', {class: 'muted'}, 'Loading…'));
  page.main.append(body);
  const [lead, events, attempts] = await Promise.allSettled([
    api(`/leads/${id}`), api(`/leads/${id}/events`), api(`/leads/${id}/attempts`)]);
  if (page.left) return;
  if (lead.status === 'rejected') {
    if (lead.reason instanceof ApiError && lead.reason.status === 404) fill(body, notice('warn', `There is no lead ${leadId}.`));
    else page.fail(lead.reason, `read lead ${leadId}`, body);
    return;
  }
  fill(body,
    summary(lead.value),
    section('Buyers', 'buyers', buyersTable(lead.value.buyers)),
    section('Attempts', 'attempts', answered(page, attempts, 'read the attempts', a => attemptList(a.attempts))),
    section('Timeline', 'timeline', answered(page, events, 'read the events', timeline)),
    section('As received', 'received', h('pre', {class: 'json', data: {field: 'lead'}}, pretty(lead.value.lead))));
}

/** A settled call's drawing, or what went wrong with it. */
function answered(page, result, doing, drawing) {
  if (result.status === 'fulfilled') return drawing(result.value);
  const where = h('div', {});
  page.fail(result.reason, doing, where);
  return where;
}

function section(title, name, ...content) {
  return h('section', {class: 'card', data: {section: name}, 'aria-labelledby': `section-${name}`},
    h('h2', {id: `section-${name}`}, title), content);
}

function summary(lead) {
  return h('div', {class: 'figures card'},
    figure('state', 'State', lead.state, lead.state === 'complete' ? 'complete' : 'in progress'),
    figure('received_at', 'Received', lead.received_at, time(lead.received_at)),
    figure('source', 'Source', lead.source, text(lead.source)),
    figure('completed_at', 'Completed', lead.completed_at, time(lead.completed_at)));
}

function buyersTable(buyers) {
  return table([
    {label: 'Buyer', cell: b => h('span', {}, text(b.name), h('br'), h('span', {class: 'id'}, b.recipient_id))},
    {label: 'Offered', cell: b => b.selected ? 'yes' : 'no'},
    {label: 'Why', cell: b => text(b.why), className: 'wrap'},
    {label: 'Outcome', cell: b => b.outcome === 'dead_lettered'
      ? h('a', {href: '#/dead-letters'}, `dead letter ${b.dead_letter_id}`) : text(b.outcome)},
    num('Attempts', text, 'attempts'),
    num('Price', money, 'price'),
    {label: 'Last event', cell: b => time(b.last_event_at)},
  ], buyers, {rowData: b => ({buyerId: b.recipient_id, outcome: b.outcome ?? ''})});
}

function attemptList(attempts) {
  if (!attempts || attempts.length === 0) return h('p', {class: 'empty'}, 'No attempt has ended yet.');
  return h('ol', {class: 'attempts'}, attempts.map(attempt));
}

function attempt(a) {
  const failed = a.outcome !== 'success';
  return h('li', {class: `attempt ${failed ? 'attempt-failed' : 'attempt-ok'}`, data: {eventId: a.event_id, outcome: a.outcome}},
    h('h3', {}, `${text(a.recipient_name ?? a.recipient_id)}: attempt ${text(a.attempt_number)}, `,
      failed ? `failed (${text(a.failure?.category)}: ${text(a.failure?.reason)})` : 'delivered'),
    h('p', {class: 'muted'}, `${time(a.timestamp)}; answered in ${ms(a.duration_ms)}`),
    a.failure ? h('dl', {class: 'pairs failure'},
      h('dt', {}, 'Category'), h('dd', {data: {field: 'category'}}, text(a.failure.category)),
      h('dt', {}, 'Reason'), h('dd', {data: {field: 'reason'}}, text(a.failure.reason)),
      h('dt', {}, 'Details'), h('dd', {class: 'wrap', data: {field: 'details'}}, text(a.failure.details))) : null,
    h('div', {class: 'exchange'},
      h('section', {class: 'request', data: {field: 'request'}}, h('h4', {}, 'Request sent'), request(a.request)),
      h('section', {class: 'response', data: {field: 'response'}}, h('h4', {}, 'Response received'), response(a.response))));
}

function request(r) {
  if (!r) return h('p', {class: 'empty'}, 'The request was not built (see the failure).');
  return [
    h('p', {class: 'wrap'}, h('code', {}, `${text(r.method)} ${text(r.url)}`)),
    headers(r.headers),
    h('pre', {class: 'json'}, r.body === null || r.body === undefined ? '(no body)' : pretty(r.body)),
  ];
}

function response(r) {
  if (!r) return h('p', {class: 'empty'}, 'No answer: the buyer was not reached or did not answer in time.');
  return [
    h('p', {}, 'Status ', h('strong', {data: {field: 'status'}}, text(r.status_code))),
    h('pre', {class: 'json'}, r.body === null || r.body === undefined ? '(no body)' : pretty(r.body)),
    r.parsed ? h('details', {}, h('summary', {}, 'As the router read it'), h('pre', {class: 'json'}, pretty(r.parsed))) : null,
  ];
}

function headers(map) {
  const names = Object.keys(map || {});
  return names.length === 0 ? null : h('dl', {class: 'pairs headers'},
    names.map(name => [h('dt', {}, name), h('dd', {class: 'wrap'}, text(map[name]))]));
}

function timeline(events) {
  if (events.length === 0) return h('p', {class: 'empty'}, 'No events yet.');
  return h('ol', {class: 'timeline'}, events.map(e => h('li', {data: {eventId: e.event_id, type: e.event_type}},
    h('span', {class: 'when'}, time(e.timestamp)), ' ',
    h('strong', {}, e.event_type.replace('recipient.', '')), ' ',
    text(e.recipient?.name ?? e.recipient?.id), eventNote(e))));
}

function eventNote(e) {
  switch (e.event_type) {
    case 'recipient.delivery_attempt':
      return `: attempt ${text(e.metadata?.attempt_number)} at ${money(e.delivery_plan?.price)}`;
    case 'recipient.delivered':
      return `: accepted in ${ms(e.duration_ms)} for ${money(e.delivery?.price)}`;
    case 'recipient.failed':
      return `: ${text(e.failure?.category)} / ${text(e.failure?.reason)} after ${ms(e.duration_ms)}`
        + (e.metadata?.final === false ? ', retried' : '');
    case 'recipient.feedback':
      return `: ${text(e.feedback?.type)}${e.feedback?.accepted === false ? ' (refused)' : ''}`;
    default:
      return '';
  }
}
