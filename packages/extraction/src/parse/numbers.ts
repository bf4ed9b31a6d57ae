import { CURRENCY_MARKER } from './currency.js';

export type DecimalMark = '.' | ',';

export interface AmountMatch {
  /** Canonical decimal string with a dot and the decimals as printed, e.g. "-1234.5". */
  value: string;
  /** The currency symbol or code printed with the amount, if any. */
  marker: string | null;
  index: number;
  end: number;
}

/** Which decimal mark the document uses, judged by how two-decimal amounts are written. */
export function detectDecimalMark(text: string): DecimalMark {
  const commas = text.match(/\d,\d{2}(?![\d.,])/g)?.length ?? 0;
  const dots = text.match(/\d\.\d{2}(?![\d.,])/g)?.length ?? 0;
  return commas > dots ? ',' : '.';
}

/**
 * Parses a bare number written with thousands separators and a decimal mark: "1,234.56", "1.234,56",
 * "1 234,56", "1'234.56", "1,23,456.78" (Indian grouping), "1234.5". A single separator followed by
 * exactly three digits is a thousands separator unless it is the document's decimal mark.
 */
export function parseNumber(raw: string, mark: DecimalMark = '.'): string | null {
  const text = raw.replace(/[\s'’]/g, '');
  if (!/^\d+(?:[.,]\d+)*$/.test(text)) return null;
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let decimalAt = -1;
  if (lastDot >= 0 && lastComma >= 0) {
    decimalAt = Math.max(lastDot, lastComma);
  } else if (lastDot >= 0 || lastComma >= 0) {
    const at = Math.max(lastDot, lastComma);
    const separator = text.charAt(at);
    const repeated = text.indexOf(separator) !== at;
    if (!repeated && (text.length - at - 1 !== 3 || separator === mark)) decimalAt = at;
  }
  const whole = decimalAt < 0 ? text : text.slice(0, decimalAt);
  const groups = whole.split(/[.,]/);
  if (groups.length > 1 && !groups.every((group, i) => validGroup(group, i, groups.length))) return null;
  const digits = groups.join('').replace(/^0+(?=\d)/, '');
  return decimalAt < 0 ? digits : `${digits}.${text.slice(decimalAt + 1)}`;
}

function validGroup(group: string, index: number, count: number): boolean {
  if (index === 0) return group.length >= 1 && group.length <= 3;
  if (index === count - 1) return group.length === 3;
  return group.length === 2 || group.length === 3;
}

function amountPattern(mark: DecimalMark): RegExp {
  // Plain spaces only group thousands in decimal-comma documents ("1 234,56"); elsewhere they separate columns.
  const groupSeparator = mark === ',' ? String.raw`[.,'’ ]` : String.raw`[.,'’]`;
  const number = String.raw`\d{1,3}(?:${groupSeparator}\d{2,3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?`;
  return new RegExp(
    String.raw`(?<![\w.,/-])(?<open>\()?(?<sign>[-−–])?(?:(?<pre>${CURRENCY_MARKER})\s?)?(?<sign2>[-−–])?` +
      String.raw`(?<number>${number})(?![\d]|[.,]\d|\s?%)(?:\s?(?<post>${CURRENCY_MARKER})(?![\p{L}\d]))?(?<close>\))?(?<trail>-(?!\d))?`,
    'gu',
  );
}

const patterns = { '.': amountPattern('.'), ',': amountPattern(',') };

/** All amounts in a text, with any currency marker printed next to them. Percentages are skipped. */
export function findAmounts(text: string, mark: DecimalMark = '.'): AmountMatch[] {
  const matches: AmountMatch[] = [];
  for (const match of text.matchAll(patterns[mark])) {
    const groups = match.groups ?? {};
    const value = groups.number ? parseNumber(groups.number, mark) : null;
    if (value === null) continue;
    const negative = Boolean(groups.sign ?? groups.sign2 ?? groups.trail) || Boolean(groups.open && groups.close);
    matches.push({
      value: negative && /[1-9]/.test(value) ? `-${value}` : value,
      marker: groups.pre ?? groups.post ?? null,
      index: match.index,
      end: match.index + match[0].length,
    });
  }
  return matches;
}

/** The amount when the whole text is one amount (with optional currency marker), else null. */
export function parseAmount(text: string, mark: DecimalMark = '.'): AmountMatch | null {
  const trimmed = text.trim();
  const [only, ...rest] = findAmounts(trimmed, mark);
  return only && rest.length === 0 && only.index === 0 && only.end === trimmed.length ? only : null;
}

/** Pads an amount to the currency's minor units ("12.5" → "12.50"); never drops printed decimals. */
export function formatMoney(value: string, currency: string | null): string {
  const minorUnits = currency !== null && ZERO_DECIMAL_CURRENCIES.has(currency) ? 0 : 2;
  const [whole, fraction = ''] = value.split('.');
  if (fraction.length >= minorUnits) return value;
  return `${whole}.${fraction.padEnd(minorUnits, '0')}`;
}

const ZERO_DECIMAL_CURRENCIES = new Set(['JPY', 'KRW', 'IDR', 'HUF', 'CLP', 'ISK', 'VND']);
