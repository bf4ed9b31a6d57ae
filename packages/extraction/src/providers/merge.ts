import { FIELD_LABELS, KEY_FIELDS, score } from '../confidence.js';
import { addDecimals, closeTo, multiply, toUnits } from '../decimal.js';
import type { ParsedDocument } from '../parse/fields.js';
import { formatMoney } from '../parse/numbers.js';
import { AMOUNT_FIELDS } from '../parse/values.js';
import type { AmountField, Candidate } from '../parse/values.js';
import { reconcile } from '../reconcile.js';
import type { ExtractedFields, ExtractedLineItem, ExtractionResult, Field, FieldName } from '../types.js';
import type { ModelAnswer } from './answer-schema.js';

/** A local value at least this sure is kept when the model disagrees. */
export const HIGH_CONFIDENCE = 0.85;
/** A value taken from the model. */
export const MODEL_CONFIDENCE = 0.75;
/** A value taken from the model that the totals arithmetic (or the items sum) confirms. */
export const MODEL_CHECKED_CONFIDENCE = 0.9;
/** A kept local value the model disagrees with is scaled by this. */
const DISAGREEMENT_FACTOR = 0.9;
/** Agreement never claims more than this. */
const MAX_AGREED_CONFIDENCE = 0.98;
/** A model line item whose quantity × unit price ≠ amount (as confidence.ts scores such items). */
const WRONG_ITEM_CONFIDENCE = 0.4;

const FIELD_NAMES = [
  'vendorName',
  'customerName',
  'invoiceNumber',
  'issueDate',
  'dueDate',
  'currency',
  'subtotal',
  'discount',
  'shipping',
  'tax',
  'total',
] as const satisfies FieldName[];


type Source = 'local' | 'model' | 'both';

export interface Merged {
  fields: ExtractedFields;
  lineItems: ExtractedLineItem[];
  confidence: number;
  reasons: string[];
}

const round = (value: number): number => Math.round(value * 100) / 100;
const isAmount = (field: FieldName): field is AmountField => (AMOUNT_FIELDS as readonly string[]).includes(field);

/**
 * Merges a validated model answer into the local result, field by field:
 * - model has no value → local kept as is;
 * - local has no value → the model's, at MODEL_CONFIDENCE;
 * - both agree → local kept, confidence raised;
 * - they disagree and local is sure (≥ HIGH_CONFIDENCE) → local kept, confidence lowered a little;
 * - they disagree and local is unsure → the model's, at MODEL_CONFIDENCE, except amounts where
 *   keeping some local values is what makes subtotal − discount + shipping + tax = total hold.
 * Amounts taken from the model rise to MODEL_CHECKED_CONFIDENCE when that equation holds. Line
 * items: the model's replace the local ones when there are none (if they add up, or there is
 * nothing to add them up to) or when the local ones do not sum to the subtotal (or total) and the
 * model's do. The overall confidence is then recomputed with confidence.ts's score().
 */
export function mergeModelAnswer(local: ExtractionResult, answer: ModelAnswer): Merged {
  const fields = { ...local.fields } as ExtractedFields;
  const source = {} as Record<FieldName, Source>;
  const notes = { filled: [] as FieldName[], confirmed: [] as FieldName[], replaced: [] as FieldName[], disagreeKept: [] as FieldName[] };
  const undecided: AmountField[] = [];
  const currency = chooseCurrency(local.fields.currency, answer.currency);
  const modelValue = (field: FieldName): string | null => {
    const value = answer[field];
    return value !== null && isAmount(field) ? formatMoney(value, currency) : value;
  };

  for (const field of FIELD_NAMES) {
    const mine = local.fields[field];
    const theirs = modelValue(field);
    source[field] = 'local';
    if (theirs === null) continue;
    if (mine.value === null) {
      fields[field] = { value: theirs, confidence: MODEL_CONFIDENCE };
      source[field] = 'model';
      notes.filled.push(field);
    } else if (sameValue(field, mine.value, theirs)) {
      fields[field] = { value: mine.value, confidence: agreed(mine.confidence) };
      source[field] = 'both';
      notes.confirmed.push(field);
    } else if (mine.confidence >= HIGH_CONFIDENCE) {
      fields[field] = { value: mine.value, confidence: round(mine.confidence * DISAGREEMENT_FACTOR) };
      notes.disagreeKept.push(field);
    } else if (isAmount(field)) {
      undecided.push(field);
    } else {
      fields[field] = { value: theirs, confidence: MODEL_CONFIDENCE };
      source[field] = 'model';
      notes.replaced.push(field);
    }
  }

  // Unsure amounts both sides read differently: prefer the model's, unless keeping some local
  // ones is what makes the totals add up.
  if (undecided.length > 0) {
    const choice = chooseAmounts(fields, undecided, (field) => modelValue(field) as string, local.lineItems);
    for (const field of undecided) {
      if (choice.has(field)) {
        fields[field] = { value: modelValue(field), confidence: MODEL_CONFIDENCE };
        source[field] = 'model';
        notes.replaced.push(field);
      } else {
        notes.disagreeKept.push(field);
      }
    }
  }

  const items = chooseLineItems(local.lineItems, answer.lineItems, fields, currency);

  if (totalsCheck(fields, items.lineItems) === 'pass') {
    for (const field of AMOUNT_FIELDS) {
      if (source[field] === 'model') fields[field] = { ...fields[field], confidence: MODEL_CHECKED_CONFIDENCE };
    }
  }

  const providerNotes: string[] = [];
  const list = (names: FieldName[]): string => names.map((name) => FIELD_LABELS[name]).join(', ');
  if (notes.filled.length > 0) providerNotes.push(`model filled ${list(notes.filled)}`);
  if (notes.replaced.length > 0) providerNotes.push(`model replaced low-confidence ${list(notes.replaced)}`);
  if (notes.confirmed.length > 0) providerNotes.push(`model confirms ${list(notes.confirmed)}`);
  if (notes.disagreeKept.length > 0) providerNotes.push(`model disagrees on ${list(notes.disagreeKept)}; local value kept`);
  if (items.note) providerNotes.push(items.note);

  const rescored = score(asParsed(fields, items.lineItems), reconcile(asParsed(fields, items.lineItems)));
  const mean = KEY_FIELDS.reduce((acc, field) => acc + fields[field].confidence, 0) / KEY_FIELDS.length;
  return {
    fields,
    lineItems: items.lineItems,
    confidence: round(Math.max(0, Math.min(rescored.confidence, mean))),
    reasons: [...mergeCheckReasons(local, rescored.reasons), ...providerNotes],
  };
}

/**
 * The local reasons with the cross-check phrases brought up to date: phrases score() gives for the
 * local values but no longer for the merged ones are dropped ("total not found" once the model
 * filled it), new ones appended. Other local reasons (parsing notes, pages read) stay.
 */
function mergeCheckReasons(local: ExtractionResult, mergedChecks: string[]): string[] {
  const localParsed = asParsed(local.fields, local.lineItems);
  const localChecks = new Set(score(localParsed, reconcile(localParsed)).reasons);
  const kept = local.reasons.filter((reason) => !localChecks.has(reason) || mergedChecks.includes(reason));
  return [...kept, ...mergedChecks.filter((reason) => !kept.includes(reason))];
}

/** The merged values as a parsed document, one candidate per amount, for reconcile() and score(). */
function asParsed(fields: ExtractedFields, lineItems: ExtractedLineItem[]): ParsedDocument {
  const amounts = {} as Record<AmountField, Candidate[]>;
  for (const field of AMOUNT_FIELDS) {
    const { value, confidence } = fields[field];
    amounts[field] = value === null ? [] : [{ value, confidence, rank: 0, label: field, lineIndex: -1 }];
  }
  return { fields: { ...fields }, amounts, lineItems: lineItems.map((item) => ({ ...item })), reasons: [] };
}

/** The currency the model's amounts are padded to: the local one when sure, else the model's. */
function chooseCurrency(local: Field<string>, model: string | null): string | null {
  if (local.value !== null && (local.confidence >= HIGH_CONFIDENCE || model === null)) return local.value;
  return model ?? local.value;
}

function agreed(confidence: number): number {
  const base = Math.max(confidence, MODEL_CONFIDENCE);
  return round(Math.min(MAX_AGREED_CONFIDENCE, base + (1 - base) * 0.5));
}

function sameValue(field: FieldName, a: string, b: string): boolean {
  if (isAmount(field)) return toUnits(a) === toUnits(b);
  if (field === 'issueDate' || field === 'dueDate' || field === 'currency') return a === b;
  const loose = (value: string): string => value.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  return loose(a) === loose(b);
}

type CheckStatus = 'pass' | 'fail' | 'unchecked';

/** subtotal − discount + shipping + tax = total, with the line items' sum standing in for a missing subtotal. */
function totalsCheck(fields: ExtractedFields, lineItems: ExtractedLineItem[]): CheckStatus {
  const base = fields.subtotal.value ?? (lineItems.length > 0 ? addDecimals(lineItems.map((item) => item.amount)) : null);
  const total = fields.total.value;
  if (base === null || total === null) return 'unchecked';
  const units = (field: AmountField): bigint => toUnits(fields[field].value ?? '0');
  const computed = toUnits(base) - units('discount') + units('shipping') + units('tax');
  return closeTo(computed, toUnits(total)) ? 'pass' : 'fail';
}

/**
 * Which of the disputed amounts to take from the model: all of them, unless a combination that keeps
 * some local values satisfies the totals equation and all-model does not (most model values first).
 */
function chooseAmounts(
  fields: ExtractedFields,
  disputed: AmountField[],
  modelValue: (field: AmountField) => string,
  lineItems: ExtractedLineItem[],
): Set<AmountField> {
  const combos: AmountField[][] = [];
  for (let mask = (1 << disputed.length) - 1; mask >= 0; mask--) combos.push(disputed.filter((_, index) => mask & (1 << index)));
  combos.sort((a, b) => b.length - a.length);
  for (const fromModel of combos) {
    const trial = { ...fields };
    for (const field of fromModel) trial[field] = { value: modelValue(field), confidence: MODEL_CONFIDENCE };
    if (totalsCheck(trial, lineItems) === 'pass') return new Set(fromModel);
  }
  return new Set(disputed);
}

function sumsToTarget(items: ExtractedLineItem[], fields: ExtractedFields): CheckStatus {
  const targets = [fields.subtotal.value, fields.total.value].filter((value): value is string => value !== null);
  if (items.length === 0 || targets.length === 0) return 'unchecked';
  const sum = toUnits(addDecimals(items.map((item) => item.amount)));
  return targets.some((target) => closeTo(sum, toUnits(target))) ? 'pass' : 'fail';
}

function chooseLineItems(
  local: ExtractedLineItem[],
  model: ModelAnswer['lineItems'],
  fields: ExtractedFields,
  currency: string | null,
): { lineItems: ExtractedLineItem[]; note?: string } {
  if (model.length === 0) return { lineItems: local };
  const candidates: ExtractedLineItem[] = model.map((item) => ({
    description: item.description,
    quantity: item.quantity,
    unitPrice: item.unitPrice === null ? null : formatMoney(item.unitPrice, currency),
    amount: formatMoney(item.amount, currency),
    confidence: MODEL_CONFIDENCE,
  }));
  const modelSum = sumsToTarget(candidates, fields);
  const localSum = sumsToTarget(local, fields);
  const take = local.length === 0 ? modelSum !== 'fail' : localSum === 'fail' && modelSum === 'pass';
  if (!take) {
    if (local.length === 0) return { lineItems: local, note: 'model line items do not sum to the subtotal or total; not used' };
    return { lineItems: local };
  }
  for (const item of candidates) {
    const priced = item.quantity !== null && item.unitPrice !== null;
    if (priced && !closeTo(multiply(toUnits(item.quantity as string), toUnits(item.unitPrice as string)), toUnits(item.amount))) {
      item.confidence = WRONG_ITEM_CONFIDENCE;
    } else if (modelSum === 'pass') {
      item.confidence = MODEL_CHECKED_CONFIDENCE;
    }
  }
  const note = local.length === 0 ? 'line items taken from the model' : 'line items taken from the model (local ones do not sum to the subtotal or total)';
  return { lineItems: candidates, note };
}
