import { closeTo, multiply, toUnits } from '../decimal.js';
import type { Line } from '../layout.js';
import type { ExtractedLineItem } from '../types.js';
import { findDates } from './dates.js';
import type { ItemTable } from './line-items.js';
import { findAmounts, parseAmount, parseNumber } from './numbers.js';
import type { AmountMatch, DecimalMark } from './numbers.js';

/** One line of a list of items without a table header: till receipts, utility bills, simple invoices. */
interface ListRow {
  index: number;
  description: string;
  quantity: string | null;
  unitPrice: string | null;
  amount: string | null;
  /** "2 x 3.50" printed on its own line, belonging to the item next to it. */
  detail: boolean;
}

export interface ListContext {
  lines: Line[];
  mark: DecimalMark;
  /** Lines that start the totals block (subtotal, tax, total…). */
  isTotalsLine: (lineIndex: number) => boolean;
  /** Lines that carry a label that is not an item's (dates, numbers, parties, payment, contact). */
  isLabelLine: (lineIndex: number) => boolean;
  /** Sums the items may add up to: the subtotal, or the total without tax and shipping… */
  targets: string[];
}

/** How far above the totals a list of items may start. */
const MAX_ROWS = 120;
const SEPARATOR = /^[\s\-=_*.·~#]+$/;
const TIME = /\b\d{1,2}:\d{2}\b/;
/** VAT class letters or markers printed after a price on till receipts ("2,70 A", "3.50 *"). */
const TRAILING_MARK = /(?<=\d[.,]\d{2}|\d[.,]\d{2}\s?(?:[€$£₹]|[A-Z]{3}))\s*(?:[A-D]|[A-D]?\*|\*[A-D]?|(?<=\s)[0-9])\s*$/u;
const MULTIPLY = String.raw`\s*(?:x|X|×|\*|@)\s*`;

/**
 * Items listed as "description … amount" lines just above the totals, accepted only when their
 * amounts add up to the subtotal (or to the total less tax, shipping…), so that nothing else on the
 * page is taken for an item. Quantities are read from "2 x Latte", "Latte 2 x 3.50" or a
 * "2 x 3.50" line next to the item.
 */
export function extractListItems(context: ListContext): ItemTable {
  const { lines } = context;
  for (let end = 0; end < lines.length; end++) {
    if (!context.isTotalsLine(end)) continue;
    const rows = collectRows(context, end);
    const accepted = verifiedSuffix(rows, context.targets);
    if (accepted.length > 0) return toTable(accepted, rows);
  }
  return { items: [], lineIndexes: new Set() };
}

function collectRows(context: ListContext, end: number): ListRow[] {
  const rows: ListRow[] = [];
  const sizes = context.lines.map((line) => line.size).sort((a, b) => a - b);
  const body = sizes[Math.floor(sizes.length / 2)] ?? 0;
  for (let index = end - 1; index >= 0 && index >= end - MAX_ROWS; index--) {
    const line = context.lines[index];
    if (!line) break;
    // Rules drawn with dashes or stars, which OCR reads as rows of letters in a thin line.
    if (SEPARATOR.test(line.text) || (line.size < 0.65 * body && findAmounts(line.text, context.mark).length === 0)) continue;
    if (context.isTotalsLine(index) || context.isLabelLine(index)) break;
    const row = parseListLine(line.text, index, context.mark);
    if (!row) break;
    // A description on its own line: it names the amount-only line below it, or the list has ended.
    if (row.amount === null && !row.detail) {
      const below = rows[0];
      if (below && below.description === '' && below.amount !== null) {
        below.description = row.description;
        continue;
      }
      break;
    }
    rows.unshift(row);
  }
  mergeDetails(rows);
  restoreDecimalPoints(rows);
  return rows;
}

/**
 * OCR drops decimal points from small print ("175" for "1,75"): among two-decimal amounts, a whole number
 * of three or more digits is read with its last two digits as cents. The sum check decides whether that was right.
 */
function restoreDecimalPoints(rows: ListRow[]): void {
  const amounts = rows.flatMap((row) => (row.amount === null ? [] : [row.amount]));
  if (!amounts.some((amount) => /\.\d{2}$/.test(amount))) return;
  for (const row of rows) {
    if (row.amount !== null && /^\d{3,}$/.test(row.amount)) row.amount = `${row.amount.slice(0, -2)}.${row.amount.slice(-2)}`;
  }
}

function parseListLine(raw: string, index: number, mark: DecimalMark): ListRow | null {
  // Cells stay apart (three spaces): a currency after one amount must not attach to the next.
  let text = raw.replace(TRAILING_MARK, '').trim();
  if (text === '' || TIME.test(text)) return null;
  // Statement lines start with their date ("28.08.2026 Equipment rental 8.50"); a date anywhere else is not an item.
  const dates = findDates(text, 'DMY');
  if (dates[0]?.index === 0 && dates.length === 1) text = text.slice(dates[0].end).trim();
  else if (dates.length > 0) return null;
  const amounts = findAmounts(text, mark);
  const last = amounts.at(-1);
  const row: ListRow = { index, description: '', quantity: null, unitPrice: null, amount: null, detail: false };

  // "2 x 3.50" on its own line, or "2 x 3.50   7.00" under a description line.
  const detail = new RegExp(String.raw`^(\d+(?:[.,]\d+)?)${MULTIPLY}(.+?)(?:\s+(\S.*))?$`, 'u').exec(text);
  if (detail?.[1] && detail[2]) {
    const price = parseAmount(detail[2].replace(/\s*\/\s*\p{L}+\.?$/u, ''), mark);
    const quantity = parseNumber(detail[1], mark);
    if (price && quantity) {
      const amount = detail[3] ? parseAmount(detail[3], mark) : null;
      if (detail[3] && !amount) return null;
      return { ...row, quantity, unitPrice: price.value, amount: amount?.value ?? null, detail: amount === null };
    }
  }

  if (!last || text.slice(last.end).trim() !== '') {
    // No amount at the end: a description line, if it is words.
    return /\p{L}{2}/u.test(text) && amounts.length === 0 ? { ...row, description: text } : null;
  }
  let description = text.slice(0, last.index).trim();
  row.amount = last.value;

  // "Brötchen 6 x 0,45   2,70": quantity and unit price before the amount.
  const calc = inlineCalculation(text, amounts, mark);
  if (calc) {
    description = text.slice(0, calc.start).trim();
    row.quantity = calc.quantity;
    row.unitPrice = calc.unitPrice;
  } else if (amounts.length >= 3) {
    // "Widget 2 45.00 90.00": quantity, unit price and amount in a row, when they multiply out.
    const [q, p] = amounts.slice(-3);
    if (q && p && q.marker === null && text.slice(q.end, p.index).trim() === '' && text.slice(p.end, last.index).trim() === '' && closeTo(multiply(toUnits(q.value), toUnits(p.value)), toUnits(last.value))) {
      description = text.slice(0, q.index).trim();
      row.quantity = q.value;
      row.unitPrice = p.value;
    }
  }
  if (description !== '' && !/\p{L}{2}/u.test(description)) return null;
  // "2 x Croissant", "3 Latte": a count before the name.
  const leading = /^(\d{1,3}(?:[.,]\d{1,3})?)\s*(?:x|X|×)?\s+(?=\p{L})/u.exec(description);
  if (leading?.[1] && row.quantity === null) {
    row.quantity = parseNumber(leading[1], mark);
    description = description.slice(leading[0].length);
  }
  row.description = description.replace(/\s+/g, ' ').replace(/(?:\s+(?:[$€£₹¥]|EUR|USD|GBP|CHF|INR))+$/u, '').replace(/[\s.:…]+$/, '');
  return row;
}

function inlineCalculation(text: string, amounts: AmountMatch[], mark: DecimalMark): { start: number; quantity: string; unitPrice: string } | null {
  const [q, p, a] = amounts.slice(-3);
  if (!q || !p || !a) return null;
  if (!new RegExp(`^${MULTIPLY}$`, 'u').test(text.slice(q.end, p.index)) || text.slice(p.end, a.index).replace(/\/\s*\p{L}+\.?/u, '').trim() !== '') return null;
  const quantity = parseNumber(text.slice(q.index, q.end), mark) ?? q.value;
  if (!closeTo(multiply(toUnits(quantity), toUnits(p.value)), toUnits(a.value))) return null;
  return { start: q.index, quantity, unitPrice: p.value };
}

/** Attaches "2 x 3.50" lines to the item above or below them whose amount they multiply to. */
function mergeDetails(rows: ListRow[]): void {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!row?.detail || row.quantity === null || row.unitPrice === null) continue;
    const product = multiply(toUnits(row.quantity), toUnits(row.unitPrice));
    const owner = [rows[i - 1], rows[i + 1]].find((other) => other && !other.detail && other.amount !== null && other.unitPrice === null && closeTo(product, toUnits(other.amount)));
    if (owner) {
      owner.quantity = row.quantity;
      owner.unitPrice = row.unitPrice;
    }
  }
}

/** The longest run of rows ending at the totals whose amounts add up to one of the targets. */
function verifiedSuffix(rows: ListRow[], targets: string[]): ListRow[] {
  const items = rows.filter((row) => !row.detail && row.amount !== null && row.description !== '');
  if (items.length === 0 || targets.length === 0) return [];
  const wanted = targets.map(toUnits);
  let sum = 0n;
  let best = -1;
  for (let start = items.length - 1; start >= 0; start--) {
    sum += toUnits((items[start] as ListRow).amount ?? '0');
    if (wanted.some((target) => closeTo(sum, target))) best = start;
  }
  return best < 0 ? [] : items.slice(best);
}

function toTable(accepted: ListRow[], rows: ListRow[]): ItemTable {
  const lineIndexes = new Set<number>();
  const first = accepted[0]?.index ?? 0;
  for (const row of rows) if (row.index >= first) lineIndexes.add(row.index);
  const numbered = isSequence(accepted.map((row) => row.quantity));
  const coded = accepted.length >= 2 && accepted.every((row) => CODE.test(row.description));
  const items: ExtractedLineItem[] = accepted.map((row) => ({
    description: coded ? row.description.replace(CODE, '') : row.description,
    // Leading 1, 2, 3… are line numbers, not quantities.
    quantity: numbered && row.unitPrice === null ? null : row.quantity,
    unitPrice: row.unitPrice,
    amount: row.amount ?? '0',
    confidence: 0.7,
  }));
  return { items, lineIndexes };
}

/** A product code before the name: letters and digits without spaces ("B8522 Travel expenses"). */
const CODE = /^(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9-]{3,}\s+/;

function isSequence(values: (string | null)[]): boolean {
  return values.length >= 3 && values.every((value, i) => value === String(i + 1));
}
