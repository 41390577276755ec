// Ranges of the analytics endpoints, which are kept per quarter hour: [from, to) on quarter hours,
// ending at the end of the current one, like the API's own default.

const QUARTER = 15 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

const iso = ms => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The end of the current quarter hour. */
const nextQuarter = now => Math.floor(now / QUARTER) * QUARTER + QUARTER;

/** The last `hours` hours, to the end of the current quarter hour. */
export function lastHours(hours, now = Date.now()) {
  const to = nextQuarter(now);
  return {from: iso(to - hours * HOUR), to: iso(to)};
}

/** Today in UTC: from midnight to the end of the current quarter hour. */
export function todayUtc(now = Date.now()) {
  const midnight = new Date(now);
  midnight.setUTCHours(0, 0, 0, 0);
  return {from: iso(midnight.getTime()), to: iso(nextQuarter(now))};
}

/** The ranges a page offers, by the name it keeps in its address. */
export const CHOICES = [
  ['1h', 'Last hour', 1],
  ['24h', 'Last 24 hours', 24],
  ['7d', 'Last 7 days', 7 * 24],
  ['30d', 'Last 30 days', 30 * 24],
];

export function chosen(name) {
  const choice = CHOICES.find(([id]) => id === name) || CHOICES[1];
  return {name: choice[0], label: choice[1], ...lastHours(choice[2])};
}
