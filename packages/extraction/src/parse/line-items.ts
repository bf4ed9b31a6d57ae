import type { Cell, Line } from '../layout.js';
import type { ExtractedLineItem } from '../types.js';
import { closeTo, multiply, toUnits } from '../decimal.js';
import { findAmounts, parseAmount, parseNumber } from './numbers.js';
import type { DecimalMark } from './numbers.js';
import { fold } from './labels.js';
import { findDates } from './dates.js';

type Role = 'description' | 'quantity' | 'unitPrice' | 'amount' | 'other';

interface Column {
  role: Role;
  /** Band of the page this column owns: from the midpoint to its left neighbour to the one to its right. */
  from: number;
  to: number;
}

export interface ItemTable {
  items: ExtractedLineItem[];
  /** Indexes of the lines that make up the table (headers and rows); they carry no document-level labels. */
  lineIndexes: Set<number>;
}

const ROLE_PATTERNS: [Role, RegExp][] = [
  ['unitPrice', new RegExp(fold(String.raw`^(?:unit\s*(?:price|cost|rate|amount)|price(?:\s*(?:\/|per)\s*(?:unit|item|hr|hour))?|(?:hourly\s+)?rate(?:\s*\/\s*(?:hr|hour|h))?|cost|each|price\s+each|(?:einzel|stück|e)\s*-?\s*preis(?:\s+netto)?|preis(?:\s*\/\s*(?:einheit|stk\.?|std\.?))?|stundensatz|satz|prix\s+unit(?:aire|\.)?(?:\s+ht)?|p\.?\s*u\.?(?:\s+ht)?|prix|tarif|taux\s+horaire|rate\/hr)$`), 'u')],
  ['quantity', new RegExp(fold(String.raw`^(?:qty\.?|quantity|hours|hrs\.?|units|pcs|no\.?\s*of\s*(?:units|items)|menge|anzahl|anz\.?|stk\.?|stück|stunden|std\.?|quantité|qté\.?|nb(?:re)?\.?(?:\s+heures)?|heures)$`), 'u')],
  ['amount', new RegExp(fold(String.raw`^(?:amount|total|line\s+total|total\s+price|ext(?:ended|\.)?\s*(?:price|amount)?|net\s+amount|net|gross(?:\s+amount)?|line\s+amount|gesamt(?:preis)?(?:\s+(?:netto|brutto))?|betrag(?:\s+(?:netto|brutto))?|summe|wert|montant(?:\s+(?:ht|ttc))?|total\s+(?:ht|ttc)|prix\s+total(?:\s+ht)?)$`), 'u')],
  ['description', new RegExp(fold(String.raw`^(?:(?:items?|services?|products?)(?:\s*(?:&|and|\/)\s*(?:description|services?))?|(?:item\s+|product\s+|service\s+)?description(?:\s+of\s+\w+)?|desc\.?|details|particulars|activity|task|article|work|name|(?:artikel|leistungs)?\s*-?\s*bezeichnung|(?:leistungs)?beschreibung|artikel|leistung(?:en)?|produkt|désignation|libellé|article|prestation|produit|description\s+des\s+\w+)$`), 'u')],
  ['other', new RegExp(fold(String.raw`^(?:item\s*(?:#|no\.?|code|id)|sku|code|part\s*(?:#|no\.?|number)|product\s+id|#|no\.?|line|s\.?\s*no\.?|sr\.?\s*no\.?|hsn(?:\s*\/\s*sac)?|sac|uom|unit|(?:tax|vat|gst)(?:\s*(?:%|rate|amount))?|disc\.?|discount|date|pos\.?|nr\.?|art\.?\s*-?\s*nr\.?|artikel\s*-?\s*nr\.?|artikelnr\.?|einheit|me|(?:mwst|ust)\.?(?:\s*-?\s*satz)?(?:\s*%)?|datum|rabatt|n°|réf\.?|référence|code\s+article|unité|u\.|tva(?:\s*%)?|taux\s+tva|remise)$`), 'u')],
];

function roleOf(text: string): Role | null {
  const key = text
    .toLowerCase()
    .replace(/[:*]/g, '')
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/(?:\s+(?:in\s+)?(?:eur|usd|gbp|chf|inr|cad|aud|nzd|rs\.?)|\s*[€$£₹¥])$/u, '')
    .trim();
  return ROLE_PATTERNS.find(([, pattern]) => pattern.test(key))?.[0] ?? null;
}

/** A header cell that names no column may be headers run together ("Hours Rate", "Qty Unit Price Amount"): split it at spaces. */
function splitHeaderCell(cell: Cell): Cell[] {
  if (roleOf(cell.text) !== null) return [cell];
  const words = cell.text.split(/\s+/);
  if (words.length > 8) return [cell];
  const perChar = (cell.right - cell.x) / Math.max(cell.text.length, 1);
  for (let at = 1; at < words.length; at++) {
    const left = words.slice(0, at).join(' ');
    if (roleOf(left) === null) continue;
    const rest: Cell = { ...cell, text: words.slice(at).join(' '), x: cell.x + (left.length + 1) * perChar };
    const tail = splitHeaderCell(rest);
    if (tail.every((part) => roleOf(part.text) !== null)) return [{ ...cell, text: left, right: cell.x + left.length * perChar }, ...tail];
  }
  return [cell];
}

const MAIN_DESCRIPTION = new RegExp(fold('description|bezeichnung|beschreibung|désignation|libellé'), 'iu');

/**
 * A table header row: every cell (but one) names a column, and there is an amount column and a
 * description or quantity column.
 */
function headerColumns(line: Line): Column[] | null {
  if (line.cells.length < 2 || line.cells.length > 12) return null;
  const cells = line.cells.flatMap(splitHeaderCell);
  const roles = cells.map((cell) => roleOf(cell.text));
  const unknown = roles.filter((role) => role === null).length;
  // "Description | Qty | Price" has no separate amount column: the last price is the line amount.
  const lastNumeric = roles.findLastIndex((role) => role === 'quantity' || role === 'unitPrice' || role === 'amount');
  if (!roles.includes('amount') && roles[lastNumeric] === 'unitPrice') {
    // An unnamed last column after the price is the amount ("Price | Sum in EUR"); otherwise the price is.
    if (roles.at(-1) === null && lastNumeric < roles.length - 1) roles[roles.length - 1] = 'amount';
    else roles[lastNumeric] = 'amount';
  }
  // With both "Item" and "Description" columns, the item column holds a code or short name.
  if (roles.filter((role) => role === 'description').length > 1) {
    const main = cells.findIndex((cell, i) => roles[i] === 'description' && MAIN_DESCRIPTION.test(cell.text));
    for (let i = 0; i < roles.length && main >= 0; i++) if (roles[i] === 'description' && i !== main) roles[i] = 'other';
  }
  // Two amount columns ("Net | VAT | Gross", "Total HT | Total TTC"): the last one is the line amount.
  if (roles.filter((role) => role === 'amount').length > 1) {
    const last = roles.lastIndexOf('amount');
    roles.forEach((role, i) => (roles[i] = role === 'amount' && i !== last ? 'other' : role));
  }
  if (cells.length < 2 || unknown > 1 || !roles.includes('amount') || !(roles.includes('description') || roles.includes('quantity'))) return null;
  return cells.map((cell, i) => {
    const previous = cells[i - 1];
    const next = cells[i + 1];
    return {
      role: roles[i] ?? 'other',
      from: previous ? (previous.right + cell.x) / 2 : -Infinity,
      to: next ? (cell.right + next.x) / 2 : Infinity,
    };
  });
}

/** Whether the line at this index is a totals line (subtotal, tax, total…), which ends an item table. */
export type EndsTable = (lineIndex: number) => boolean;

/** Rows further below the previous row than this many font sizes are not that row's wrapped description. */
const WRAP_GAP = 1.6;

/**
 * Reads item tables: a header row names the columns, and each following row with a description and an
 * amount in the amount column is an item. Text-only rows just below an item continue its description.
 * A table runs across page breaks until a totals line.
 */
export function extractLineItems(lines: Line[], mark: DecimalMark, endsTable: EndsTable): ItemTable {
  const items: ExtractedLineItem[] = [];
  const lineIndexes = new Set<number>();
  let columns: Column[] | null = null;
  let previousRow: Line | null = null;
  let quantityColumn = false;

  lines.forEach((line, index) => {
    const header = headerColumns(line);
    if (header) {
      columns = header;
      quantityColumn ||= header.some((column) => column.role === 'quantity');
      previousRow = null;
      lineIndexes.add(index);
      return;
    }
    if (!columns) return;
    const row = parseRow(line, columns, mark);
    if (row.item && !(endsTable(index) && (row.item.quantity === null || row.item.unitPrice === null))) {
      items.push(row.item);
      lineIndexes.add(index);
      previousRow = line;
      return;
    }
    if (endsTable(index)) {
      columns = null;
      return;
    }
    const last = items.at(-1);
    if (row.textOnly && last && previousRow && continues(previousRow, line)) {
      last.description = `${last.description} ${row.textOnly}`;
      lineIndexes.add(index);
      previousRow = line;
    }
  });
  fillLostQuantities(items, quantityColumn);
  return { items, lineIndexes };
}

/**
 * A table with quantities whose row lacks one (OCR drops lone digits): the quantity is the amount over
 * the unit price when that is a whole number. The document printed it; only the reading lost it.
 */
function fillLostQuantities(items: ExtractedLineItem[], quantityColumn: boolean): void {
  // An amount that is a multiple of the unit price tells its quantity; an amount equal to it only where the table has quantities.
  const pass = (allowOne: boolean): void => {
    for (const item of items) {
      if (item.quantity !== null || item.unitPrice === null) continue;
      const quantity = quotient(item.amount, item.unitPrice);
      if (quantity === null || (quantity === '1' && !allowOne)) continue;
      item.quantity = quantity;
      item.confidence = Math.min(item.confidence, 0.6);
    }
  };
  pass(quantityColumn);
  if (!quantityColumn && items.some((item) => item.quantity !== null)) pass(true);
}

/** amount ÷ unit price when it is a quantity as printed (up to two decimals) that multiplies back to the amount. */
function quotient(amount: string, unitPrice: string): string | null {
  const price = Number(unitPrice);
  const total = Number(amount);
  if (!(price > 0) || !(total > 0)) return null;
  const quantity = Math.round((total / price) * 100) / 100;
  if (quantity <= 0 || quantity > 100000 || !closeTo(multiply(toUnits(String(quantity)), toUnits(unitPrice)), toUnits(amount))) return null;
  return String(quantity);
}

/** Wrapped description text sits just below its row in the same font size; smaller print below an item is a detail, not its name. */
function continues(row: Line, next: Line): boolean {
  return row.page === next.page && next.y - row.y <= WRAP_GAP * next.size && Math.abs(next.size - row.size) <= 0.1 * row.size;
}

interface ParsedRow {
  item?: ExtractedLineItem;
  /** The description text of a row without numbers. */
  textOnly?: string;
}

function parseRow(line: Line, columns: Column[], mark: DecimalMark): ParsedRow {
  const description: string[] = [];
  const values: Partial<Record<'quantity' | 'unitPrice' | 'amount', string>> = {};
  let hasNumbers = false;
  const unassigned: { value: string; plain: boolean }[] = [];
  const descriptionColumn = columns.find((column) => column.role === 'description');
  const descriptionEnd = columns.find((column) => column.role === 'quantity' || column.role === 'unitPrice' || column.role === 'amount')?.from ?? Infinity;

  for (const cell of line.cells) {
    if (/^[-−]?\d+(?:[.,]\d+)?\s*%$/.test(cell.text)) {
      hasNumbers = true;
      continue;
    }
    // Numbers are often right-aligned under their header, text left-aligned.
    const role = columnAt(columns, (cell.x + cell.right) / 2)?.role;
    const amount = numericValue(cell, mark);
    const count = parseQuantity(cell.text, mark);
    const value = role === 'quantity' ? count : amount;
    if (value === null) {
      // A number with its unit ("2 lot") in a column the header did not name.
      if (count !== null && cell.x >= descriptionEnd) {
        hasNumbers = true;
        unassigned.push({ value: count, plain: true });
        continue;
      }
      const startRole = columnAt(columns, cell.x)?.role;
      if (startRole === 'description' || (startRole !== 'other' && cell.x < descriptionEnd)) description.push(cell.text);
      else if (startRole === 'quantity' && descriptionColumn && cell.right > descriptionColumn.from + 1 && values.quantity === undefined) {
        // A quantity run together with the description ("5 kg Safety gloves").
        const match = /^(\S+(?:\s+\S+)?)\s+(?=\p{L})/u.exec(cell.text);
        const first = match?.[1] ? (parseQuantity(match[1], mark) ?? parseQuantity(match[1].split(' ')[0] ?? '', mark)) : null;
        if (match && first !== null) {
          const unitless = parseQuantity(match[1]?.split(' ')[0] ?? '', mark) !== null && parseQuantity(match[1] ?? '', mark) === null;
          values.quantity = first;
          hasNumbers = true;
          description.push(unitless ? cell.text.replace(/^\S+\s+/, '') : cell.text.slice(match[0].length));
        }
      } else if (
        startRole === 'other' &&
        descriptionColumn &&
        cell.x < descriptionColumn.from &&
        cell.right - descriptionColumn.from > (cell.right - cell.x) / 2 &&
        findDates(cell.text, 'DMY').length === 0
      ) {
        // A line number or code run together with the description ("1 Logo design"): the code is the first word.
        const rest = cell.text.replace(/^\S+\s+/, '');
        if (rest !== cell.text && /\p{L}/u.test(rest)) description.push(rest);
      }
      continue;
    }
    hasNumbers = true;
    if ((role === 'quantity' || role === 'unitPrice' || role === 'amount') && values[role] === undefined) values[role] = value;
    else if (role !== 'amount') unassigned.push({ value, plain: count !== null });
  }

  const text = description.join(' ').trim();
  if (!hasNumbers) return text ? { textOnly: text } : {};
  if (!text || values.amount === undefined || !/\p{L}/u.test(text)) return {};
  repairLostDecimalPoint(values);
  // Columns the header did not name (or named wrongly) still read as quantity × unit price = amount.
  if (values.quantity === undefined || values.unitPrice === undefined) {
    const known = values.quantity ?? values.unitPrice;
    const target = toUnits(values.amount);
    if (known !== undefined) {
      const other = unassigned.find((number) => closeTo(multiply(toUnits(number.value), toUnits(known)), target));
      if (other) {
        // The header may have put the count under the price ("Price Each" over "10" and "2.95"): the count is the quantity.
        const pair = orderPair(known, other.value);
        values.quantity = pair.quantity;
        values.unitPrice = pair.unitPrice;
      }
    } else {
      const found = quantityAndPrice(unassigned, values.amount);
      if (found) Object.assign(values, found);
    }
  }
  return {
    item: {
      description: text,
      quantity: values.quantity ?? null,
      unitPrice: values.unitPrice ?? null,
      amount: values.amount,
      confidence: 0.75,
    },
  };
}

/** Of two numbers whose product is the amount, the one written like a count (no cents) is the quantity. */
function orderPair(a: string, b: string): { quantity: string; unitPrice: string } {
  const money = (value: string): boolean => /\.\d{2}$/.test(value);
  return money(a) && !money(b) ? { quantity: b, unitPrice: a } : money(b) && !money(a) ? { quantity: a, unitPrice: b } : { quantity: b, unitPrice: a };
}

/**
 * OCR drops decimal points from small print ("$4799" for "$47.99"): when quantity × unit price misses
 * the amount and a unit price or amount without decimals reads right with two, take that reading.
 */
function repairLostDecimalPoint(values: Partial<Record<'quantity' | 'unitPrice' | 'amount', string>>): void {
  const { quantity, unitPrice, amount } = values;
  if (quantity === undefined || unitPrice === undefined || amount === undefined) return;
  const product = (price: string): bigint => multiply(toUnits(quantity), toUnits(price));
  if (closeTo(product(unitPrice), toUnits(amount))) return;
  const withCents = (value: string): string | null => (/^\d{3,}$/.test(value) ? `${value.slice(0, -2)}.${value.slice(-2)}` : null);
  const price = withCents(unitPrice);
  if (price !== null && closeTo(product(price), toUnits(amount))) {
    values.unitPrice = price;
    return;
  }
  const total = withCents(amount);
  if (total !== null && closeTo(product(unitPrice), toUnits(total))) {
    values.amount = total;
    return;
  }
  // "15" for "1,5" hours.
  for (const shift of [1, 2]) {
    if (!/^\d+$/.test(quantity) || quantity.length <= shift) break;
    const shifted = `${quantity.slice(0, -shift)}.${quantity.slice(-shift)}`;
    if (closeTo(multiply(toUnits(shifted), toUnits(unitPrice)), toUnits(amount))) {
      values.quantity = shifted.replace(/\.?0+$/, '') || '0';
      return;
    }
  }
}

/** Two numbers of a row whose product is the amount: the one written like a count is the quantity. */
function quantityAndPrice(numbers: { value: string; plain: boolean }[], amount: string): { quantity: string; unitPrice: string } | null {
  const target = toUnits(amount);
  for (let i = 0; i < numbers.length; i++) {
    for (let j = i + 1; j < numbers.length; j++) {
      const a = numbers[i];
      const b = numbers[j];
      if (!a || !b || !closeTo(multiply(toUnits(a.value), toUnits(b.value)), target)) continue;
      const aCount = a.plain && !/\.\d{2}$/.test(a.value);
      const bCount = b.plain && !/\.\d{2}$/.test(b.value);
      return aCount || !bCount ? { quantity: a.value, unitPrice: b.value } : { quantity: b.value, unitPrice: a.value };
    }
  }
  return null;
}

function columnAt(columns: Column[], x: number): Column | undefined {
  return columns.find((column) => x >= column.from && x < column.to);
}

function numericValue(cell: Cell, mark: DecimalMark): string | null {
  // OCR puts a space after a thousands separator ("3, 189.00"); in a cell of its own that is one number.
  const text = cell.text.replace(/\s*(?:\/|per\s+)\s*\p{L}+\.?$/u, '').replace(/(\d)([.,'])\s(\d{3})(?!\d)/gu, '$1$2$3');
  return parseAmount(text, mark)?.value ?? null;
}

function parseQuantity(text: string, mark: DecimalMark): string | null {
  const match = /^(?:x\s*)?(\d[\d.,]*)\s*(?:x|pcs?\.?|units?|hrs?\.?|hours?|h|ea\.?|each|days?|kg|m|nos?\.?|box(?:es)?|sets?|stk\.?|stück|st\.?|std\.?|pkt\.?|satz|pce?s?\.?|u\.?|unités?|lots?|forfaits?|heures?|jours?|tage?)?$/iu.exec(text.trim());
  return match?.[1] ? parseNumber(match[1], mark) : null;
}

/**
 * Rows of a table without a recognisable header: a description followed by quantity, unit price
 * and amount where quantity × unit price = amount. Works on the line's text, so narrow column gaps
 * that merged the cells do not matter.
 */
export function extractHeaderlessItems(lines: Line[], mark: DecimalMark): ItemTable {
  const items: ExtractedLineItem[] = [];
  const lineIndexes = new Set<number>();
  lines.forEach((line, index) => {
    const amounts = findAmounts(line.text, mark);
    const [q, p, a] = amounts.slice(-3);
    if (!q || !p || !a || q.marker !== null || line.text.slice(a.end).trim() !== '') return;
    if (line.text.slice(q.end, p.index).trim() !== '' || line.text.slice(p.end, a.index).trim() !== '') return;
    const description = line.text.slice(0, q.index).replace(/\s+/g, ' ').trim();
    if (!/\p{L}/u.test(description)) return;
    if (!closeTo(multiply(toUnits(q.value), toUnits(p.value)), toUnits(a.value))) return;
    items.push({ description, quantity: q.value, unitPrice: p.value, amount: a.value, confidence: 0.75 });
    lineIndexes.add(index);
  });
  return { items, lineIndexes };
}
