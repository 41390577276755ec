// The console's shell: the key form, the pages by their hash (#/events?lead_id=...), the navigation.

import {apiKey, explain, KeyNeeded} from './api.js';
import {fill, h, notice} from './dom.js';
import * as dashboard from './pages/dashboard.js';
import * as buyers from './pages/buyers.js';
import * as leads from './pages/leads.js';
import * as events from './pages/events.js';
import * as deadLetters from './pages/dead-letters.js';
import * as analytics from './pages/analytics.js';

const PAGES = {dashboard, buyers, leads, events, 'dead-letters': deadLetters, analytics};
const main = document.getElementById('main');
const forgetKey = document.getElementById('forget-key');
let current = null;

/** The page the address names: #/name/arg?query; null for a hash that is no page (#main). */
function route() {
  const hash = location.hash.slice(1);
  if (hash !== '' && !hash.startsWith('/')) return null;
  const [path, query = ''] = hash.slice(1).split('?');
  const [name, ...args] = path.split('/').map(part => decodeURIComponent(part));
  return {name: PAGES[name] ? name : 'dashboard', args, query: new URLSearchParams(query)};
}

/** What a page is given: where to draw, its address, and how to end its timers when it is left. */
class Page {
  constructor(where) {
    this.main = main;
    this.name = where.name;
    this.args = where.args;
    this.query = where.query;
    this.left = false;
    this.cleanups = [];
  }

  /** Runs task (async) now and every `ms` while this page is shown and the tab visible, never twice at once. */
  every(ms, task) {
    let running = false;
    const run = async () => {
      if (this.left || document.hidden || running) return;
      running = true;
      try {
        await task();
      } finally {
        running = false;
      }
    };
    const timer = setInterval(run, ms);
    document.addEventListener('visibilitychange', run);
    this.onLeave(() => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', run);
    });
    run();
  }

  onLeave(cleanup) {
    this.cleanups.push(cleanup);
  }

  leave() {
    this.left = true;
    this.cleanups.forEach(cleanup => cleanup());
  }

  /**
   * An API call failed: a missing or refused key asks for one; anything else is shown in `where`
   * (the page's top when not given) as a sentence saying what could not be done.
   */
  fail(error, doing, where) {
    if (this.left) return;
    if (error instanceof KeyNeeded) {
      askForKey(error.message);
      return;
    }
    const message = notice(error.status === 403 ? 'warn' : 'error', explain(error, doing));
    if (where) fill(where, message);
    else this.main.prepend(message);
  }
}

function show(focus) {
  const where = route();
  if (!where) return;
  if (current) current.leave();
  markCurrent(where.name);
  if (!apiKey.get()) {
    askForKey();
    return;
  }
  forgetKey.hidden = false;
  current = new Page(where);
  fill(main);
  PAGES[where.name].render(current);
  if (focus) main.querySelector('h1')?.focus();
}

function markCurrent(name) {
  for (const link of document.querySelectorAll('nav a[data-page]')) {
    if (link.dataset.page === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** The key form, with why it is asked for again (the key was refused) when there is a reason. */
function askForKey(reason) {
  if (current) current.leave();
  current = null;
  forgetKey.hidden = true;
  const input = h('input', {id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false',
    required: true, 'aria-describedby': 'api-key-help'});
  const form = h('form', {class: 'key-form', on: {submit: event => {
    event.preventDefault();
    apiKey.set(input.value.trim());
    show(true);
  }}},
  h('label', {for: 'api-key'}, 'API key'),
  h('div', {class: 'inline'}, input, h('button', {type: 'submit'}, 'Use this key')));
  fill(main,
    h('h1', {tabindex: '-1'}, 'API key'),
    reason ? notice('warn', reason + '. Enter a key in force.') : null,
    h('p', {id: 'api-key-help'}, 'Every figure here is read from the router\'s API with your key: a read key shows everything, ',
      'an operate key can also pause and resume buyers and replay dead letters. The key stays in this browser tab until it is ',
      'closed; it is never put in an address.'),
    form);
  input.focus();
}

document.querySelector('.skip-link').addEventListener('click', event => {
  event.preventDefault();
  main.focus();
});
forgetKey.addEventListener('click', () => {
  apiKey.forget();
  askForKey();
});
window.addEventListener('hashchange', () => show(true));
show(false);
