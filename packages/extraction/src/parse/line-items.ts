import type { Cell, Line } from '../layout.js';
import type { ExtractedLineItem } from '../types.js';
import { closeTo, multiply, toUnits } from '../decimal.js';
import { findAmounts, parseAmount, parseNumber } from './numbers.js';
import type { DecimalMark } from './numbers.js';

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
  ['unitPrice', /^(?:unit\s*(?:price|cost|rate|amount)|price(?:\s*(?:\/|per)\s*(?:unit|item|hr|hour))?|(?:hourly\s+)?rate(?:\s*\/\s*(?:hr|hour))?|cost|each|price\s+each)$/],
  ['quantity', /^(?:qty\.?|quantity|hours|hrs\.?|units|pcs|no\.?\s*of\s*(?:units|items))$/],
  ['amount', /^(?:amount|total|line\s+total|total\s+price|ext(?:ended|\.)?\s*(?:price|amount)?|net\s+amount|net|gross(?:\s+amount)?|line\s+amount)$/],
  ['description', /^(?:(?:items?|services?|products?)(?:\s*(?:&|and|\/)\s*description)?|(?:item\s+|product\s+|service\s+)?description(?:\s+of\s+\w+)?|desc\.?|details|particulars|activity|task|article|work|name)$/],
  ['other', /^(?:item\s*(?:#|no\.?|code|id)|sku|code|part\s*(?:#|no\.?|number)|#|no\.?|s\.?\s*no\.?|sr\.?\s*no\.?|hsn(?:\s*\/\s*sac)?|sac|uom|unit|(?:tax|vat|gst)(?:\s*(?:%|rate|amount))?|disc\.?|discount|date)$/],
];

function roleOf(text: string): Role | null {
  const key = text.toLowerCase().replace(/[:*]/g, '').replace(/\s*\([^)]*\)$/, '').trim();
  return ROLE_PATTERNS.find(([, pattern]) => pattern.test(key))?.[0] ?? null;
}

/**
 * A table header row: every cell (but one) names a column, and there is an amount column and a
 * description or quantity column.
 */
function headerColumns(line: Line): Column[] | null {
  const roles = line.cells.map((cell) => roleOf(cell.text));
  const unknown = roles.filter((role) => role === null).length;
  // "Description | Qty | Price" has no separate amount column: the last price is the line amount.
  const lastNumeric = roles.findLastIndex((role) => role === 'quantity' || role === 'unitPrice' || role === 'amount');
  if (!roles.includes('amount') && roles[lastNumeric] === 'unitPrice') roles[lastNumeric] = 'amount';
  // With both "Item" and "Description" columns, the item column holds a code or short name.
  if (roles.filter((role) => role === 'description').length > 1) {
    const main = line.cells.findIndex((cell, i) => roles[i] === 'description' && /description/i.test(cell.text));
    for (let i = 0; i < roles.length && main >= 0; i++) if (roles[i] === 'description' && i !== main) roles[i] = 'other';
  }
  if (line.cells.length < 2 || unknown > 1 || !roles.includes('amount') || !(roles.includes('description') || roles.includes('quantity'))) return null;
  return line.cells.map((cell, i) => {
    const previous = line.cells[i - 1];
    const next = line.cells[i + 1];
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

  lines.forEach((line, index) => {
    const header = headerColumns(line);
    if (header) {
      columns = header;
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
  return { items, lineIndexes };
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
  const descriptionEnd = columns.find((column) => column.role === 'quantity' || column.role === 'unitPrice' || column.role === 'amount')?.from ?? Infinity;

  for (const cell of line.cells) {
    if (/^[-−]?\d+(?:[.,]\d+)?\s*%$/.test(cell.text)) {
      hasNumbers = true;
      continue;
    }
    // Numbers are often right-aligned under their header, text left-aligned.
    const role = columnAt(columns, (cell.x + cell.right) / 2)?.role;
    const value = role === 'quantity' ? parseQuantity(cell.text, mark) : numericValue(cell, mark);
    if (value === null) {
      const startRole = columnAt(columns, cell.x)?.role;
      if (startRole === 'description' || (startRole !== 'other' && cell.x < descriptionEnd)) description.push(cell.text);
      continue;
    }
    hasNumbers = true;
    if (role === 'quantity' || role === 'unitPrice' || role === 'amount') values[role] = value;
  }

  const text = description.join(' ').trim();
  if (!hasNumbers) return text ? { textOnly: text } : {};
  if (!text || values.amount === undefined || !/\p{L}/u.test(text)) return {};
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

function columnAt(columns: Column[], x: number): Column | undefined {
  return columns.find((column) => x >= column.from && x < column.to);
}

function numericValue(cell: Cell, mark: DecimalMark): string | null {
  return parseAmount(cell.text.replace(/\s*(?:\/|per\s+)\s*\p{L}+\.?$/u, ''), mark)?.value ?? null;
}

function parseQuantity(text: string, mark: DecimalMark): string | null {
  const match = /^(?:x\s*)?(\d[\d.,]*)\s*(?:x|pcs?\.?|units?|hrs?\.?|hours?|h|ea\.?|each|days?|kg|m|nos?\.?)?$/i.exec(text.trim());
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
