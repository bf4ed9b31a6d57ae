/** Order of day and month in all-numeric dates such as 03/04/2026. */
export type DateOrder = 'MDY' | 'DMY';

export interface DateMatch {
  /** YYYY-MM-DD */
  value: string;
  index: number;
  end: number;
}

/** Month names and abbreviations in English, German and French, with their month number. */
const MONTH_NAMES: [number, string[]][] = [
  [1, ['january', 'jan', 'januar', 'jänner', 'jaenner', 'janvier', 'janv']],
  [2, ['february', 'feb', 'februar', 'février', 'fevrier', 'févr', 'fevr', 'fév', 'fev']],
  [3, ['march', 'mar', 'märz', 'maerz', 'marz', 'mrz', 'mär', 'mars']],
  [4, ['april', 'apr', 'avril', 'avr']],
  [5, ['may', 'mai']],
  [6, ['june', 'jun', 'juni', 'juin']],
  [7, ['july', 'jul', 'juli', 'juillet', 'juil']],
  [8, ['august', 'aug', 'août', 'aout']],
  [9, ['september', 'sept', 'sep', 'septembre']],
  [10, ['october', 'oct', 'oktober', 'okt', 'octobre']],
  [11, ['november', 'nov', 'novembre']],
  [12, ['december', 'dec', 'dezember', 'dez', 'décembre', 'decembre', 'déc']],
];
const MONTH_BY_NAME = new Map(MONTH_NAMES.flatMap(([number, names]) => names.map((name) => [name, number] as const)));
const MONTH_ALTERNATIVES = [...MONTH_BY_NAME.keys()].sort((a, b) => b.length - a.length).join('|');
const MONTH = String.raw`(?<month>${MONTH_ALTERNATIVES})\.?`;
const DAY = String.raw`(?<day>\d{1,2})(?:st|nd|rd|th|er|e)?`;
const YEAR = String.raw`(?<year>\d{4}|'?\d{2})`;

const PATTERNS: RegExp[] = [
  /(?<![\d./-])(?<year>\d{4})(?<sep>[-/.])(?<month>\d{1,2})\k<sep>(?<day>\d{1,2})(?![\d]|[./-]\d)/g,
  /(?<![\d./-])(?<first>\d{1,2})(?<sep>[-/.])(?<second>\d{1,2})\k<sep>(?<year>\d{4}|\d{2})(?![\d]|[./-]\d)/g,
  new RegExp(String.raw`(?<![\p{L}\d])${DAY}[\s.-]*(?:of\s+)?${MONTH}[\s,.-]*${YEAR}(?![\p{L}\d])`, 'giu'),
  new RegExp(String.raw`(?<![\p{L}\d])${MONTH}\s*${DAY},?\s*${YEAR}(?![\p{L}\d])`, 'giu'),
];

/**
 * Finds dates written as ISO (2026-11-22), numeric (11/22/2026, 22.11.2026, 22/11/26) or with
 * month names (22 Nov 2026, November 22, 2026). Numeric dates use `order` unless the day is
 * recognisable by being above 12; dotted dates are always day first.
 */
export function findDates(text: string, order: DateOrder): DateMatch[] {
  const found: DateMatch[] = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const value = toIsoDate(match.groups ?? {}, order);
      if (value === null) continue;
      const index = match.index;
      const end = index + match[0].length;
      if (!found.some((other) => index < other.end && end > other.index)) found.push({ value, index, end });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** The date the text starts with (ignoring leading punctuation), or null. */
export function parseLeadingDate(text: string, order: DateOrder): string | null {
  const first = findDates(text, order)[0];
  if (!first || /[\p{L}\d]/u.test(text.slice(0, first.index).replace(/^\s*(?:on|by|le|am|du|den|vom|the)\b/iu, ''))) return null;
  return first.value;
}

/**
 * Day-first or month-first for the document: a numeric date with a part above 12 settles it;
 * otherwise US-style unless the currency says the document is from elsewhere.
 */
export function detectDateOrder(text: string, currency: string | null): DateOrder {
  let dayFirst = 0;
  let monthFirst = 0;
  for (const match of text.matchAll(/(?<![\d./-])(\d{1,2})([/-])(\d{1,2})\2(?:\d{4}|\d{2})(?![\d]|[/-]\d)/g)) {
    const [first, second] = [Number(match[1]), Number(match[3])];
    if (first > 31 || second > 31) continue;
    if (first > 12) dayFirst++;
    else if (second > 12) monthFirst++;
  }
  if (dayFirst !== monthFirst) return dayFirst > monthFirst ? 'DMY' : 'MDY';
  return currency === null || MONTH_FIRST_CURRENCIES.has(currency) ? 'MDY' : 'DMY';
}

const MONTH_FIRST_CURRENCIES = new Set(['USD', 'CAD']);

/** Whether a numeric date in the text has a part above 12, which settles day-first or month-first. */
export function dateOrderSettled(text: string): boolean {
  for (const match of text.matchAll(/(?<![\d./-])(\d{1,2})([/-])(\d{1,2})\2(?:\d{4}|\d{2})(?![\d]|[/-]\d)/g)) {
    const [first, second] = [Number(match[1]), Number(match[3])];
    if (first <= 31 && second <= 31 && (first > 12 || second > 12)) return true;
  }
  return false;
}

/** Whether the text's first date is numeric and reads differently day-first and month-first (03/04/2026). */
export function isAmbiguousDate(text: string): boolean {
  const match = /(?<![\d./-])(\d{1,2})([/-])(\d{1,2})\2(?:\d{4}|\d{2})(?![\d]|[/-]\d)/.exec(text);
  if (!match) return false;
  const [first, second] = [Number(match[1]), Number(match[3])];
  const firstDate = findDates(text, 'MDY')[0];
  return firstDate !== undefined && firstDate.index === match.index && first <= 12 && second <= 12 && first !== second;
}

function toIsoDate(groups: Record<string, string | undefined>, order: DateOrder): string | null {
  let day = Number(groups.day);
  let month = groups.month ? monthNumber(groups.month) : 0;
  if (groups.first && groups.second) {
    const first = Number(groups.first);
    const second = Number(groups.second);
    const dayFirst = groups.sep === '.' || first > 12 || (order === 'DMY' && second <= 12);
    [day, month] = dayFirst ? [first, second] : [second, first];
  }
  const year = expandYear(groups.year ?? '');
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function monthNumber(month: string): number {
  if (/^\d+$/.test(month)) return Number(month);
  return MONTH_BY_NAME.get(month.toLowerCase()) ?? 0;
}

function expandYear(year: string): number {
  const digits = year.replace("'", '');
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}
