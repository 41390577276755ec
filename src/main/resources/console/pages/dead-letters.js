// Dead letters not yet replayed, and their replay (POST /dead-letters/{id}/replay) once confirmed.

import {api} from '../api.js';
import {fill, h, notice, num, table} from '../dom.js';
import {text, time} from '../format.js';

export function render(page) {
  const status = h('div', {class: 'status'});
  const list = h('div', {}, h('p', {class: 'muted'}, 'Loading…'));
  const dialog = confirmation();
  page.main.append(h('h1', {tabindex: '-1'}, 'Dead letters'),
    h('p', {class: 'muted'}, 'Leads whose technical failures used up a buyer\'s attempts. A replay sends the lead to that buyer once more '
      + '(an operate key).'),
    status, list, dialog.element);
  page.onLeave(() => dialog.element.close());
  load(page, list, status, dialog);
}

async function load(page, list, status, dialog) {
  try {
    const [letters, buyers] = await Promise.all([api('/dead-letters'), api('/buyers')]);
    if (page.left) return;
    const names = new Map(buyers.buyers.map(b => [b.id, b.name]));
    fill(list, table([
      num('Id', String, 'id'),
      {label: 'Lead', cell: d => h('a', {href: `#/leads/${encodeURIComponent(d.lead_id)}`}, d.lead_id)},
      {label: 'Buyer', cell: d => [text(names.get(d.recipient_id)), h('br'), h('span', {class: 'id'}, d.recipient_id)]},
      {label: 'Failure', cell: d => `${text(d.failure?.category)} / ${text(d.failure?.reason)}`},
      {label: 'Details', cell: d => text(d.failure?.details), className: 'wrap'},
      num('Attempts', text, 'attempts'),
      {label: 'Dead-lettered', cell: d => time(d.created_at)},
      {label: 'Replay', cell: d => h('button', {type: 'button', data: {replay: d.id},
        on: {click: () => dialog.ask(d, () => replay(page, d, list, status, dialog))}}, 'Replay…')},
    ], letters, {rowData: d => ({deadLetterId: d.id, leadId: d.lead_id}), empty: 'No dead letters: every lead reached its buyers or was refused.'}));
  } catch (error) {
    page.fail(error, 'read the dead letters', list);
  }
}

async function replay(page, letter, list, status, dialog) {
  try {
    await api(`/dead-letters/${encodeURIComponent(letter.id)}/replay`, {method: 'POST'});
    fill(status, notice('info', `Dead letter ${letter.id} is being replayed: lead ${letter.lead_id} goes to ${letter.recipient_id} again.`));
  } catch (error) {
    page.fail(error, `replay dead letter ${letter.id}`, status);
  }
  await load(page, list, status, dialog);
}

/** A modal question with real buttons: Replay, or Cancel (Escape too). */
function confirmation() {
  const question = h('p', {id: 'replay-question'});
  const confirm = h('button', {type: 'submit', value: 'replay', data: {confirm: 'replay'}}, 'Replay');
  const element = h('dialog', {'aria-labelledby': 'replay-title', 'aria-describedby': 'replay-question'},
    h('form', {method: 'dialog'},
      h('h2', {id: 'replay-title'}, 'Replay this dead letter?'),
      question,
      h('div', {class: 'actions'}, confirm, h('button', {type: 'submit', value: 'cancel', class: 'quiet'}, 'Cancel'))));
  let onConfirm = null;
  element.addEventListener('close', () => {
    const action = onConfirm;
    onConfirm = null;
    if (element.returnValue === 'replay' && action) action();
  });
  return {
    element,
    ask(letter, action) {
      fill(question, `Lead ${letter.lead_id} goes to buyer ${letter.recipient_id} once more, with a fresh set of attempts.`);
      onConfirm = action;
      element.returnValue = '';
      element.showModal();
      confirm.focus();
    },
  };
}
