// How figures are shown. The raw value stays in the page too (data-value), as the API answered it.

const DASH = '–';

export const percent = rate => rate === null || rate === undefined ? DASH : `${(rate * 100).toFixed(1)} %`;

export const money = amount => amount === null || amount === undefined ? DASH
  : Number(amount).toLocaleString('en-US', {style: 'currency', currency: 'USD'});

export const count = n => n === null || n === undefined ? DASH : Number(n).toLocaleString('en-US');

export const ms = n => n === null || n === undefined ? DASH
  : n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n).toLocaleString('en-US')} ms`;

/** An instant as the user's local date and time, to the second. */
export function time(iso) {
  if (!iso) return DASH;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString('en-GB', {
    year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'});
}

/** An instant as UTC hours and minutes: how analytics ranges are named. */
export const utcClock = iso => new Date(iso).toISOString().slice(11, 16) + ' UTC';

export const text = value => value === null || value === undefined || value === '' ? DASH : String(value);

/** The spec's response-time buckets, in its order, with their names. */
export const BUCKETS = [
  ['fast', 'Fast (< 500 ms)'],
  ['normal', 'Normal (500 ms – 2 s)'],
  ['slow', 'Slow (2 s – 5 s)'],
  ['very_slow', 'Very slow (> 5 s)'],
];

export const PERIODS = [
  ['business_hours', 'Business hours'],
  ['after_hours', 'After hours'],
  ['weekends', 'Weekends'],
];
