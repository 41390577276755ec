// The period a page's figures cover, kept in its address (#/buyers?range=7d).

import {h} from '../dom.js';
import {CHOICES} from '../ranges.js';

/** A small form: the period, and a button (or Enter) to show it. */
export function rangePicker(pageName, range, extra = {}) {
  const select = h('select', {id: 'range', name: 'range'},
    CHOICES.map(([id, label]) => h('option', {value: id, selected: id === range.name}, label)));
  return h('form', {class: 'range-picker', on: {submit: event => {
    event.preventDefault();
    const query = new URLSearchParams({...extra, range: select.value});
    location.hash = `#/${pageName}?${query}`;
  }}},
  h('label', {for: 'range'}, 'Period'), select, h('button', {type: 'submit'}, 'Show'));
}
