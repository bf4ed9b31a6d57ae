import type { Line } from '../layout.js';
import type { Field } from '../types.js';
import { findDates, isAmbiguousDate, parseLeadingDate } from './dates.js';
import type { DateOrder } from './dates.js';
import { cleanValue, isIncludedTax } from './labels.js';
import type { LabelField, LabelHit } from './labels.js';
import { findAmounts } from './numbers.js';
import type { DecimalMark } from './numbers.js';
import { cleanName, looksLikeName } from './parties.js';

export const AMOUNT_FIELDS = ['subtotal', 'discount', 'shipping', 'tax', 'total'] as const;
export type AmountField = (typeof AMOUNT_FIELDS)[number];

export const isAmountField = (field: string): field is AmountField => (AMOUNT_FIELDS as readonly string[]).includes(field);

/** A value found after a label, with how sure we are of it. */
export interface Candidate {
  value: string;
  confidence: number;
  rank: number;
  /** The label's own text with any rate, lower-cased, to tell apart several tax lines (CGST, SGST; 19% and 7%). */
  label: string;
  lineIndex: number;
  /** A tax the total already contains ("incl. 19% VAT"), rather than one added to it. */
  included?: boolean;
  /** A numeric date whose day and month could be swapped (03/04/2026). */
  ambiguous?: boolean;
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
      // A weak label inside a sentence ("Payment terms: Net 30") is a word, not a label, unless a colon follows it.
      if (!hit.atCellStart && hit.def.rank <= 2 && !/^\s*[:#]/.test(hit.inline)) continue;
      for (const field of hit.def.fields) {
        const value = valueFor(field, hit, context);
        if (!value) continue;
        const atStart = hit.atCellStart ? 1 : 0.9;
        let confidence = SOURCE_CONFIDENCE[value.source] * (RANK_FACTOR[hit.def.rank] ?? 1) * atStart;
        // "INVOICE   1023", "Rechnung RE-4711": a title with a reference beside it is the number.
        if (field === 'invoiceNumber' && hit.def.rank === 1 && value.source !== 'below' && /\d.*\d.*\d/.test(value.value) && !/^\d+[.,]\d{2}$/.test(value.value)) {
          confidence = Math.max(confidence, 0.86);
        }
        found[field].push({
          value: value.value,
          confidence,
          rank: hit.def.rank,
          label: labelText(hit),
          lineIndex: hit.lineIndex,
          ...(field === 'tax' && isIncludedTax(`${hit.text} ${hit.inline}`) ? { included: true } : {}),
          ...((field === 'issueDate' || field === 'dueDate') && isAmbiguousDate(value.raw) ? { ambiguous: true } : {}),
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

/** The label with any rate printed after it ("cgst 9%", "mwst 19%"), without the amount. */
function labelText(hit: LabelHit): string {
  const rate = /\d{1,2}(?:[.,]\d{1,3})?\s?%/.exec(hit.inline)?.[0] ?? '';
  return `${hit.text} ${rate}`.toLowerCase().replace(/[^\p{L}\d%]+/gu, ' ').trim();
}

interface Value {
  value: string;
  source: Source;
  /** The text the value was read from. */
  raw: string;
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
      return hit.atCellStart ? firstValue(hit, context, (text) => (looksLikeName(cleanName(text)) ? cleanName(text) : null), true) : null;
    default:
      return amountValue(hit, context);
  }
}

/** The first of: the rest of the label's cell, the next cell on the line, the cell below. */
function firstValue(hit: LabelHit, context: LabelContext, parse: (text: string) => string | null, joinWords = false): Value | null {
  const line = context.lines[hit.lineIndex];
  if (!line) return null;
  // Names may come in several cells when their words are spaced widely (letterheads, OCR).
  const extend = (text: string, lineIndex: number, cellIndex: number): string => (joinWords ? continuedName(text, lineIndex, cellIndex, context) : text);
  const inline = cleanValue(hit.inline);
  if (inline) {
    const raw = extend(inline, hit.lineIndex, hit.cellIndex);
    const value = parse(raw);
    return value === null ? null : { value, source: 'inline', raw };
  }
  const lineHits = context.hits[hit.lineIndex] ?? [];
  const next = line.cells[hit.cellIndex + 1];
  if (next && !lineHits.some((other) => other.cellIndex === hit.cellIndex + 1 && other.atCellStart)) {
    const raw = extend(cleanValue(next.text), hit.lineIndex, hit.cellIndex + 1);
    const value = parse(raw);
    if (value !== null) return { value, source: 'next', raw };
    // A row of column headings ("Invoice date   Payment due   Currency") has its values below.
  }
  const below = cellBelow(hit, context);
  if (below === null) return null;
  const raw = extend(below.text, below.lineIndex, below.cellIndex);
  const value = parse(raw);
  return value === null ? null : { value, source: 'below', raw };
}

/** Gap between words of one name, in font sizes; wider gaps separate columns. */
const NAME_WORD_GAP = 1.5;

/** A name's text with the cells right after it on its line that continue it (close, words, no label). */
function continuedName(text: string, lineIndex: number, cellIndex: number, context: LabelContext): string {
  const line = context.lines[lineIndex];
  if (!line) return text;
  const hits = context.hits[lineIndex] ?? [];
  let joined = text;
  for (let i = cellIndex + 1; i < line.cells.length; i++) {
    const previous = line.cells[i - 1];
    const cell = line.cells[i];
    if (!previous || !cell || cell.x - previous.right > NAME_WORD_GAP * Math.min(previous.size, cell.size)) break;
    if (hits.some((hit) => hit.cellIndex === i) || !/^[\p{L}&+][\p{L}.&'’()-]*(?:\s+[\p{L}.&'’()-]+)*$/u.test(cell.text)) break;
    joined = `${joined} ${cell.text}`;
  }
  return joined;
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
  // Inside a cell of other text, the amount must follow the label directly ("… Total 12.00"), perhaps after a rate.
  if (!hit.atCellStart && amounts[0] && !LEAD_IN.test(rest.slice(0, amounts[0].index))) return null;
  if (last) return { value: last.value, source: rest.trim() === hit.inline.trim() ? 'inline' : 'next', raw: rest };
  if (cleanValue(hit.inline) !== '' || !hit.atCellStart) return null;
  const below = cellBelow(hit, context);
  const amount = below === null ? undefined : findAmounts(below.text, context.mark);
  return amount?.length === 1 && amount[0] && below !== null ? { value: amount[0].value, source: 'below', raw: below.text } : null;
}

/** What may stand between a label and its amount: separators, a rate, a currency code. */
const LEAD_IN = /^[\s:#(@]*(?:\d{1,2}(?:[.,]\d{1,3})?\s?%[\s):]*)?(?:\p{Lu}{3}\s*)?[\s:]*$/u;

/** The text of the cell under a label (label-above-value layouts), unless that cell is a label itself. */
function cellBelow(hit: LabelHit, context: LabelContext): { text: string; lineIndex: number; cellIndex: number } | null {
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
    return { text: cleanValue(cell.text), lineIndex: hit.lineIndex + offset, cellIndex };
  }
  return null;
}

function invoiceNumberOf(text: string): string | null {
  const token = /^[A-Za-z0-9][\w\-/.]*/.exec(text)?.[0]?.replace(/[.\-/]+$/, '');
  if (!token || token.length > 40 || !/\d/.test(token) || findDates(token, 'MDY')[0]?.index === 0) return null;
  return token;
}
