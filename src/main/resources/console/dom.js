// Building the page from data. Everything that came from the API (buyers' answers included, which
// are hostile input) goes in as text: element.textContent and attribute values, never as markup.

/**
 * An element: h('a', {href: '#/x', class: 'y', data: {figure: 'z'}, on: {click: f}}, 'text', child, ...).
 * Strings and numbers become text nodes; null, undefined and false are left out; arrays are flattened.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (name === 'data') {
      for (const [key, v] of Object.entries(value)) {
        if (v !== undefined) el.dataset[key] = v === null ? '' : String(v);
      }
    } else if (name === 'href') {
      el.setAttribute('href', safeHref(value));
    } else if (value === true) {
      if (name in el) el[name] = true;
      else el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Links stay inside the console: its own hash routes, or a path of this router. */
function safeHref(value) {
  const text = String(value);
  return text.startsWith('#/') || text.startsWith('/') && !text.startsWith('//') ? text : '#/';
}

/** Replaces everything in el with the children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table: columns [{label, cell: row => text or node, className}], rows an array. */
export function table(columns, rows, {caption, rowData, empty = 'Nothing yet.'} = {}) {
  if (!rows || rows.length === 0) return h('p', {class: 'empty'}, empty);
  return h('div', {class: 'table-wrap'},
    h('table', {},
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, columns.map(c => h('th', {scope: 'col', class: c.className}, c.label)))),
      h('tbody', {}, rows.map(row => h('tr', {data: rowData ? rowData(row) : {}},
        // on a phone each row stands as a card, every cell under its column's name (data-label)
        columns.map(c => h('td', {class: c.className, data: {label: c.label}}, h('div', {class: 'cell'}, c.cell(row)))))))));
}

/** A table column of figures, right-aligned: field is a row's field name, or a function of the row. */
export function num(label, format, field) {
  return {label, cell: row => format(typeof field === 'function' ? field(row) : row[field]), className: 'num'};
}

/** A labelled figure: its value kept raw in data-value (what the API answered), shown formatted. */
export function figure(name, label, value, shown, ...more) {
  return h('div', {class: 'figure'},
    h('span', {class: 'figure-label'}, label),
    h('span', {class: 'figure-value', data: {figure: name, value: value ?? ''}}, shown),
    more);
}

/** A message to the user in a live region: kind 'info', 'warn' or 'error'. */
export function notice(kind, ...text) {
  return h('p', {class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status'}, text);
}

/** JSON (or text that holds JSON) as indented text. */
export function pretty(value) {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}
