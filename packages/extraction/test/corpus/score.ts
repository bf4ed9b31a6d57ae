import { toUnits } from '../../src/decimal.js';
import type { ExtractedLineItem, ExtractionResult, FieldName } from '../../src/types.js';
import type { CorpusTruth } from './model.js';

export const FIELD_NAMES: FieldName[] = [
  'vendorName', 'customerName', 'invoiceNumber', 'issueDate', 'dueDate', 'currency', 'subtotal', 'discount', 'shipping', 'tax', 'total',
];

/** The review threshold the API routes by; calibration is measured at it. */
export const REVIEW_THRESHOLD = 0.85;

const AMOUNT_FIELDS = new Set<FieldName>(['subtotal', 'discount', 'shipping', 'tax', 'total']);
const NAME_FIELDS = new Set<FieldName>(['vendorName', 'customerName']);

export interface FieldOutcome {
  expected: string | null;
  actual: string | null;
  confidence: number;
  /** Whether the field takes part in accuracy: the document states it, or extraction claims it does. */
  counted: boolean;
  correct: boolean;
}

export interface DocumentScore {
  id: string;
  kind: string;
  locale: string;
  design: string;
  fields: Record<FieldName, FieldOutcome>;
  items: { truePositives: number; extracted: number; expected: number };
  confidence: number;
  pages: number;
  durationMs: number;
}

export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s"'“”‘’]+|[\s"'“”‘’.,;:]+$/g, '')
    .trim();
}

function sameAmount(a: string, b: string): boolean {
  try {
    return toUnits(a) === toUnits(b);
  } catch {
    return false;
  }
}

export function sameValue(field: FieldName, expected: string, actual: string): boolean {
  if (AMOUNT_FIELDS.has(field)) return sameAmount(expected, actual);
  if (NAME_FIELDS.has(field)) return normaliseText(expected) === normaliseText(actual);
  if (field === 'invoiceNumber') return expected.trim().toUpperCase() === actual.trim().toUpperCase();
  return expected === actual;
}

/** Levenshtein similarity in [0, 1]. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return 0;
  let previous = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const current = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return 1 - (previous[n] ?? 0) / Math.max(m, n);
}

const optionalAmount = (a: string | null, b: string | null): boolean => (a === null || b === null ? a === b : sameAmount(a, b));

/** An extracted item matches an expected one when every column agrees (descriptions within 10% edits). */
export function sameItem(expected: CorpusTruth['lineItems'][number], actual: ExtractedLineItem): boolean {
  return (
    sameAmount(expected.amount, actual.amount) &&
    optionalAmount(expected.quantity, actual.quantity) &&
    optionalAmount(expected.unitPrice, actual.unitPrice) &&
    similarity(normaliseText(expected.description), normaliseText(actual.description)) >= 0.9
  );
}

export function scoreDocument(
  document: { id: string; kind: string; locale: string; design: string; truth: CorpusTruth },
  result: ExtractionResult,
): DocumentScore {
  const fields = {} as Record<FieldName, FieldOutcome>;
  for (const name of FIELD_NAMES) {
    const expected = document.truth[name];
    const { value: actual, confidence } = result.fields[name];
    const counted = expected !== null || actual !== null;
    const correct = expected === null || actual === null ? expected === actual : sameValue(name, expected, actual);
    fields[name] = { expected, actual, confidence, counted, correct };
  }
  const unmatched = [...result.lineItems];
  let truePositives = 0;
  for (const item of document.truth.lineItems) {
    const at = unmatched.findIndex((candidate) => sameItem(item, candidate));
    if (at >= 0) {
      truePositives++;
      unmatched.splice(at, 1);
    }
  }
  return {
    id: document.id,
    kind: document.kind,
    locale: document.locale,
    design: document.design,
    fields,
    items: { truePositives, extracted: result.lineItems.length, expected: document.truth.lineItems.length },
    confidence: result.confidence,
    pages: result.pageCount,
    durationMs: result.durationMs,
  };
}

export interface Summary {
  documents: number;
  pages: number;
  fields: Record<FieldName, { correct: number; counted: number; accuracy: number }>;
  /** All counted fields together. */
  accuracy: number;
  lineItems: { precision: number; recall: number; f1: number; expected: number };
  calibration: {
    /** Fields reported at or above the threshold. */
    confident: number;
    confidentCorrect: number;
    /** Share of confident fields that are right: the calibration goal is ≥ 0.98. */
    precision: number;
    /** Share of the fields the documents state that came back right and confident. */
    coverage: number;
  };
  /** Documents whose overall confidence would skip review, and how many of those have every field right. */
  routing: { automatic: number; automaticAllCorrect: number };
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

export function summarise(scores: DocumentScore[]): Summary {
  const fields = {} as Summary['fields'];
  let correct = 0;
  let counted = 0;
  let confident = 0;
  let confidentCorrect = 0;
  let stated = 0;
  for (const name of FIELD_NAMES) {
    const outcomes = scores.map((score) => score.fields[name]).filter((outcome) => outcome.counted);
    const right = outcomes.filter((outcome) => outcome.correct).length;
    fields[name] = { correct: right, counted: outcomes.length, accuracy: ratio(right, outcomes.length) };
    correct += right;
    counted += outcomes.length;
    for (const outcome of outcomes) {
      if (outcome.expected !== null) stated++;
      if (outcome.actual !== null && outcome.confidence >= REVIEW_THRESHOLD) {
        confident++;
        if (outcome.correct) confidentCorrect++;
      }
    }
  }
  const truePositives = scores.reduce((sum, score) => sum + score.items.truePositives, 0);
  const extracted = scores.reduce((sum, score) => sum + score.items.extracted, 0);
  const expected = scores.reduce((sum, score) => sum + score.items.expected, 0);
  const precision = ratio(truePositives, extracted);
  const recall = ratio(truePositives, expected);
  const automatic = scores.filter((score) => score.confidence >= REVIEW_THRESHOLD);
  return {
    documents: scores.length,
    pages: scores.reduce((sum, score) => sum + score.pages, 0),
    fields,
    accuracy: ratio(correct, counted),
    lineItems: { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), expected },
    calibration: { confident, confidentCorrect, precision: ratio(confidentCorrect, confident), coverage: ratio(confidentCorrect, stated) },
    routing: {
      automatic: automatic.length,
      automaticAllCorrect: automatic.filter((score) => FIELD_NAMES.every((name) => score.fields[name].correct)).length,
    },
  };
}

/** The fields a document got wrong, for reading failures. */
export function mistakes(score: DocumentScore): string[] {
  return FIELD_NAMES.filter((name) => !score.fields[name].correct).map((name) => {
    const { expected, actual, confidence } = score.fields[name];
    return `${name}: expected ${JSON.stringify(expected)} got ${JSON.stringify(actual)} (${confidence})`;
  });
}
