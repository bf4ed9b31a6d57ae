import type { Scored } from '../confidence.js';
import { closeTo, toUnits } from '../decimal.js';
import type { ExtractedFields, FieldName } from '../types.js';
import type { PlacedWord } from './lines.js';

/** Word confidence at or above this does not lower a field's confidence. */
const TRUSTED_WORD_CONFIDENCE = 0.9;
/** OCR that reads this badly overall is not trusted above this, whatever the arithmetic says. */
const POOR_OCR = 0.6;
const POOR_OCR_CAP = 0.6;
/**
 * Without an arithmetic cross-check an OCR result stays below the review threshold (0.85): OCR can
 * misread any digit, and only totals that add up show that the amounts were read right. The same
 * cap applies when a key field the arithmetic cannot check (invoice number, vendor, date) was read
 * with doubtful word confidence.
 */
const UNCHECKED_OCR_CAP = 0.8;

/** A name word with a digit between letters ("S6hne", "C0ntoso"): OCR confusing letters with 0/1/5/6/8. */
const MISREAD_NAME = /\p{L}[0-9]+\p{L}|\b[0-9]\p{Ll}{2,}/u;

/** A key field (other than the total) whose words were read with less confidence than this keeps the document below review. */
const DOUBTFUL_KEY_WORD = 0.75;

const KEY_FIELDS = ['vendorName', 'invoiceNumber', 'issueDate', 'total', 'currency'] as const satisfies FieldName[];
const TEXT_FIELDS = ['vendorName', 'customerName', 'invoiceNumber'] as const satisfies FieldName[];
const AMOUNT_FIELDS = ['subtotal', 'discount', 'shipping', 'tax', 'total'] as const satisfies FieldName[];
const FIELD_LABELS: Partial<Record<FieldName, string>> = { vendorName: 'vendor name', customerName: 'customer name', invoiceNumber: 'invoice number', issueDate: 'issue date', dueDate: 'due date', total: 'total' };

export interface OcrEvidence {
  /** Words of every OCR'd page; lineIndex is unique across pages. */
  words: PlacedWord[];
  /** Mean word confidence over the OCR'd pages (0-1), or null when OCR found no words. */
  meanConfidence: number | null;
}

const round = (value: number): number => Math.round(value * 100) / 100;
const factor = (confidence: number): number => Math.min(1, confidence / TRUSTED_WORD_CONFIDENCE);

/**
 * Lowers confidences by how sure the OCR engine was of the words a value was read from (or of the
 * page, when the value cannot be located), and keeps OCR results below the review threshold unless
 * the totals or line items add up. Amounts are not lowered when the arithmetic holds: a misread
 * digit would have broken it.
 */
export function applyOcrConfidence(scored: Scored, evidence: OcrEvidence): Scored {
  const reasons = [...scored.reasons];
  const fields: ExtractedFields = { ...scored.fields };
  const mean = evidence.meanConfidence;
  if (mean === null) return { ...scored, reasons: [...reasons, 'OCR found no words'] };
  reasons.push(`OCR mean word confidence ${mean.toFixed(2)}`);

  const arithmetic = arithmeticHolds(fields, scored.lineItems);
  const index = buildIndex(evidence.words);
  let keyDoubt = false;
  for (const name of Object.keys(fields) as FieldName[]) {
    const field = fields[name];
    if (field.value === null) continue;
    if (arithmetic && (AMOUNT_FIELDS as readonly FieldName[]).includes(name)) continue;
    if ((name === 'vendorName' || name === 'customerName') && MISREAD_NAME.test(field.value)) {
      fields[name] = { ...field, confidence: round(field.confidence * 0.7) };
      reasons.push(`${FIELD_LABELS[name]} looks misread by OCR (digits inside a word)`);
      continue;
    }
    const located = locate(name, field.value, index);
    const wordConfidence = located ?? mean;
    if (wordConfidence >= TRUSTED_WORD_CONFIDENCE) continue;
    fields[name] = { ...field, confidence: round(field.confidence * factor(wordConfidence)) };
    const label = FIELD_LABELS[name];
    if (located !== null && label && located < POOR_OCR) reasons.push(`${label} read with low OCR confidence ${located.toFixed(2)}`);
    // The arithmetic cannot vouch for an invoice number or a vendor: a doubtful reading of one goes to review.
    if (located !== null && located < DOUBTFUL_KEY_WORD && (KEY_FIELDS as readonly FieldName[]).includes(name) && !(AMOUNT_FIELDS as readonly FieldName[]).includes(name)) keyDoubt = true;
  }

  // The overall confidence drops by what the key fields lost (their mean is how score() builds it;
  // which fields count is score()'s business, e.g. receipts without a number).
  const lost = KEY_FIELDS.reduce((sum, name) => sum + (scored.fields[name].confidence - fields[name].confidence), 0) / KEY_FIELDS.length;
  let confidence = scored.confidence - Math.max(0, lost);
  if (!arithmetic || keyDoubt) confidence = Math.min(confidence, UNCHECKED_OCR_CAP);
  if (mean < POOR_OCR) {
    confidence = Math.min(confidence, POOR_OCR_CAP);
    reasons.push('OCR read the document poorly');
  }
  const lineItems = scored.lineItems.map((item) => (mean >= TRUSTED_WORD_CONFIDENCE || arithmetic ? item : { ...item, confidence: round(item.confidence * factor(mean)) }));
  return { fields, lineItems, confidence: round(Math.max(0, confidence)), reasons };
}

/** subtotal − discount + shipping + tax = total, or the line items sum to the subtotal (or total). */
export function arithmeticHolds(fields: ExtractedFields, lineItems: Scored['lineItems']): boolean {
  try {
    return checkArithmetic(fields, lineItems);
  } catch {
    // A value that is not a plain decimal string cannot be checked.
    return false;
  }
}

function checkArithmetic(fields: ExtractedFields, lineItems: Scored['lineItems']): boolean {
  const { subtotal, discount, shipping, tax, total } = fields;
  if (total.value === null) return false;
  const units = (value: string | null): bigint => (value === null ? 0n : toUnits(value));
  if (subtotal.value !== null && closeTo(units(subtotal.value) - units(discount.value) + units(shipping.value) + units(tax.value), units(total.value))) return true;
  if (lineItems.length === 0) return false;
  const itemsSum = lineItems.reduce((sum, item) => sum + toUnits(item.amount), 0n);
  return closeTo(itemsSum, units(subtotal.value ?? total.value));
}

interface IndexedLine {
  /** Letters and digits of the line's words, lower-cased, and where each word starts in that string. */
  key: string;
  starts: number[];
  words: PlacedWord[];
}

function buildIndex(words: PlacedWord[]): IndexedLine[] {
  const lines = new Map<number, IndexedLine>();
  for (const word of words) {
    let line = lines.get(word.lineIndex);
    if (!line) {
      line = { key: '', starts: [], words: [] };
      lines.set(word.lineIndex, line);
    }
    line.starts.push(line.key.length);
    line.key += alnum(word.text);
    line.words.push(word);
  }
  return [...lines.values()];
}

const alnum = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
const digits = (text: string): string => text.replace(/\D/g, '');

/** The best confidence of the words that spell the value somewhere, or null when it is not found. */
function locate(name: FieldName, value: string, lines: IndexedLine[]): number | null {
  let keys: string[];
  if ((TEXT_FIELDS as readonly FieldName[]).includes(name)) keys = [alnum(value)];
  else if ((AMOUNT_FIELDS as readonly FieldName[]).includes(name)) keys = [digits(value)];
  else if (name === 'issueDate' || name === 'dueDate') {
    const [y = '', m = '', d = ''] = value.split('-');
    keys = [`${y}${m}${d}`, `${m}${d}${y}`, `${d}${m}${y}`, `${m}${d}${y.slice(2)}`, `${d}${m}${y.slice(2)}`];
  } else return null;
  keys = keys.filter((key) => key.length >= 3);
  let best: number | null = null;
  for (const line of lines) {
    for (const key of keys) {
      for (let at = line.key.indexOf(key); at >= 0; at = line.key.indexOf(key, at + 1)) {
        // Whole words only: the match starts at a word start and ends at a word end.
        const first = line.starts.indexOf(at);
        const endIndex = line.starts.findIndex((start) => start >= at + key.length);
        const end = endIndex < 0 ? line.key.length : (line.starts[endIndex] ?? line.key.length);
        if (first < 0 || end !== at + key.length) continue;
        const words = line.words.slice(first, endIndex < 0 ? undefined : endIndex);
        const confidence = Math.min(...words.map((word) => word.confidence));
        if (best === null || confidence > best) best = confidence;
      }
    }
  }
  return best;
}
