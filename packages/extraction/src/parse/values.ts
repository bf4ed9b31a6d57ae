import type { Line } from '../layout.js';
import type { Field } from '../types.js';
import { findDates, parseLeadingDate } from './dates.js';
import type { DateOrder } from './dates.js';
import { cleanValue } from './labels.js';
import type { LabelField, LabelHit } from './labels.js';
import { findAmounts } from './numbers.js';
import type { DecimalMark } from './numbers.js';
import { looksLikeName } from './parties.js';

export const AMOUNT_FIELDS = ['subtotal', 'discount', 'shipping', 'tax', 'total'] as const;
export type AmountField = (typeof AMOUNT_FIELDS)[number];

export const isAmountField = (field: string): field is AmountField => (AMOUNT_FIELDS as readonly string[]).includes(field);

/** A value found after a label, with how sure we are of it. */
export interface Candidate {
  value: string;
  confidence: number;
  rank: number;
  /** The label's own text, lower-cased, to tell apart several tax lines (CGST, SGST). */
  label: string;
  lineIndex: number;
}

export interface LabelContext {
  lines: Line[];
  /** Labels per line; lines of the item table have none. */
  hits: LabelHit[][];
  mark: DecimalMark;
  order: DateOrder;
}

type Source = 'inline' | 'next' | 'below';
const SOURCE_CONFIDENCE: Record<Source, number> = { inline: 0.9, next: 0.9, below: 0.85 };
const RANK_FACTOR = [0.7, 0.85, 0.95, 1, 1];
/** How far below a label (in lines) its value may sit. */
const BELOW_LINES = 2;

const LABEL_FIELDS: LabelField[] = [
  'vendorName', 'customerName', 'invoiceNumber', 'issueDate', 'dueDate', 'subtotal', 'discount', 'shipping', 'tax', 'total',
];

export function toField(candidates: Candidate[]): Field<string> {
  const [best] = candidates;
  return best ? { value: best.value, confidence: best.confidence } : { value: null, confidence: 0 };
}

/** Every labelled value in the document per field, best first. */
export function collectCandidates(context: LabelContext): Record<LabelField, Candidate[]> {
  const found = {} as Record<LabelField, Candidate[]>;
  for (const field of LABEL_FIELDS) found[field] = [];
  context.hits.forEach((lineHits) => {
    for (const hit of lineHits) {
      for (const field of hit.def.fields) {
        const value = valueFor(field, hit, context);
        if (!value) continue;
        const atStart = hit.atCellStart ? 1 : 0.9;
        found[field].push({
          value: value.value,
          confidence: SOURCE_CONFIDENCE[value.source] * (RANK_FACTOR[hit.def.rank] ?? 1) * atStart,
          rank: hit.def.rank,
          label: labelText(hit, context),
          lineIndex: hit.lineIndex,
        });
      }
    }
  });
  for (const field of LABEL_FIELDS) found[field] = rankCandidates(found[field], isAmountField(field));
  return found;
}

/**
 * Best label first; among equals the one printed last for amounts (totals blocks sit at the end) and
 * first otherwise. Values printed more than once gain confidence; disagreeing top candidates lose some.
 */
function rankCandidates(candidates: Candidate[], isAmount: boolean): Candidate[] {
  const sorted = [...candidates].sort(
    (a, b) => b.rank - a.rank || b.confidence - a.confidence || (isAmount ? b.lineIndex - a.lineIndex : a.lineIndex - b.lineIndex),
  );
  const [best] = sorted;
  if (!best) return sorted;
  const peers = sorted.filter((candidate) => candidate.rank === best.rank && candidate !== best);
  if (peers.some((peer) => peer.value === best.value)) best.confidence = Math.min(0.98, best.confidence + 0.05);
  else if (!isAmount && peers.some((peer) => peer.value !== best.value)) best.confidence *= 0.8;
  return sorted;
}

function labelText(hit: LabelHit, context: LabelContext): string {
  const cell = context.lines[hit.lineIndex]?.cells[hit.cellIndex];
  return (cell?.text.slice(0, cell.text.length - hit.inline.length) ?? '').toLowerCase().replace(/[^a-z]+/g, ' ').trim();
}

interface Value {
  value: string;
  source: Source;
}

function valueFor(field: LabelField, hit: LabelHit, context: LabelContext): Value | null {
  switch (field) {
    case 'invoiceNumber':
      return firstValue(hit, context, invoiceNumberOf);
    case 'issueDate':
    case 'dueDate':
      return firstValue(hit, context, (text) => parseLeadingDate(text, context.order));
    case 'vendorName':
    case 'customerName':
      return hit.atCellStart ? firstValue(hit, context, (text) => (looksLikeName(text) ? text : null)) : null;
    default:
      return amountValue(hit, context);
  }
}

/** The first of: the rest of the label's cell, the next cell on the line, the cell below. */
function firstValue(hit: LabelHit, context: LabelContext, parse: (text: string) => string | null): Value | null {
  const line = context.lines[hit.lineIndex];
  if (!line) return null;
  const inline = cleanValue(hit.inline);
  if (inline) {
    const value = parse(inline);
    return value === null ? null : { value, source: 'inline' };
  }
  const lineHits = context.hits[hit.lineIndex] ?? [];
  const next = line.cells[hit.cellIndex + 1];
  if (next && !lineHits.some((other) => other.cellIndex === hit.cellIndex + 1 && other.atCellStart)) {
    const value = parse(cleanValue(next.text));
    return value === null ? null : { value, source: 'next' };
  }
  const below = cellBelow(hit, context);
  if (below === null) return null;
  const value = parse(below);
  return value === null ? null : { value, source: 'below' };
}

/** For an amount, the last amount after the label on its line (rates like "20%" come first), or else the one below. */
function amountValue(hit: LabelHit, context: LabelContext): Value | null {
  const line = context.lines[hit.lineIndex];
  if (!line) return null;
  const lineHits = context.hits[hit.lineIndex] ?? [];
  const nextLabel = lineHits.find((other) => other.cellIndex > hit.cellIndex && other.atCellStart)?.cellIndex ?? line.cells.length;
  const rest = [hit.inline, ...line.cells.slice(hit.cellIndex + 1, nextLabel).map((cell) => cell.text)].join('   ');
  const amounts = findAmounts(rest, context.mark);
  const last = amounts.at(-1);
  if (last) return { value: last.value, source: rest.trim() === hit.inline.trim() ? 'inline' : 'next' };
  if (cleanValue(rest) !== '' || !hit.atCellStart) return null;
  const below = cellBelow(hit, context);
  const amount = below === null ? undefined : findAmounts(below, context.mark);
  return amount?.length === 1 && amount[0] ? { value: amount[0].value, source: 'below' } : null;
}

/** The text of the cell under a label (label-above-value layouts), unless that cell is a label itself. */
function cellBelow(hit: LabelHit, context: LabelContext): string | null {
  if (hit.def.sameLineOnly || !hit.atCellStart) return null;
  const line = context.lines[hit.lineIndex];
  if (!line) return null;
  for (let offset = 1; offset <= BELOW_LINES; offset++) {
    const below = context.lines[hit.lineIndex + offset];
    if (!below || below.page !== line.page || below.y - line.y > 3 * line.size * offset) return null;
    const belowHits = context.hits[hit.lineIndex + offset] ?? [];
    const cellIndex = below.cells.findIndex((cell) => cell.x < hit.right + line.size && cell.right > hit.x - line.size / 2);
    const cell = below.cells[cellIndex];
    if (!cell) continue;
    if (belowHits.some((other) => other.cellIndex === cellIndex && other.atCellStart)) return null;
    return cleanValue(cell.text);
  }
  return null;
}

function invoiceNumberOf(text: string): string | null {
  const token = /^[A-Za-z0-9][\w\-/.]*/.exec(text)?.[0]?.replace(/[.\-/]+$/, '');
  if (!token || token.length > 40 || !/\d/.test(token) || findDates(token, 'MDY')[0]?.index === 0) return null;
  return token;
}
