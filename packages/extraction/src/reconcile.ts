import { addDecimals, closeTo, toUnits } from './decimal.js';
import type { ParsedDocument } from './parse/fields.js';
import type { AmountField, Candidate } from './parse/values.js';
import type { Field } from './types.js';

export type CheckStatus = 'pass' | 'fail' | 'unchecked';

export interface Reconciliation {
  amounts: Record<AmountField, Field<string>>;
  /** subtotal − discount + shipping + tax = total */
  totals: CheckStatus;
  /** The parts of the totals equation that were present, e.g. "subtotal + tax = total". */
  formula: string;
  /** Line item amounts sum to the subtotal (or, without one, to the total). */
  itemsSum: CheckStatus;
  /** Fields whose printed value the reconciling combination had to leave out. */
  leftOut: AmountField[];
  /** Fields whose value the arithmetic supplied rather than the page (a tax line OCR could not read). */
  supplied: AmountField[];
}

interface Option {
  value: string | null;
  confidence: number;
  /** 0 for the best candidate; higher is a less preferred choice. */
  cost: number;
  /** A tax contained in the total ("incl. 19% VAT"): it is not added. */
  included?: boolean;
  /** The sum of several differently labelled tax lines. */
  combined?: boolean;
}

/** How many candidates per field the search tries. */
const MAX_OPTIONS = 3;
/** Leaving out an amount the document printed costs more than picking a lesser candidate. */
const LEAVE_OUT_COST = 3;

/**
 * Chooses among the labelled amounts the combination for which subtotal − discount + shipping + tax
 * = total, preferring the best-labelled candidates. Without a subtotal, the line items' sum stands in.
 */
export function reconcile(parsed: ParsedDocument): Reconciliation {
  const itemsSum = parsed.lineItems.length > 0 ? addDecimals(parsed.lineItems.map((item) => item.amount)) : null;
  const options = {
    subtotal: withAbsence(parsed.amounts.subtotal),
    discount: withAbsence(parsed.amounts.discount.map((c) => ({ ...c, value: c.value.replace(/^-/, '') }))),
    shipping: withAbsence(parsed.amounts.shipping),
    tax: withAbsence(taxCandidates(parsed.amounts.tax)),
    total: parsed.amounts.total.slice(0, MAX_OPTIONS).map((c, cost): Option => ({ value: c.value, confidence: c.confidence, cost })),
  };

  let best: { choice: Record<AmountField, Option>; cost: number } | undefined;
  for (const total of options.total) {
    for (const subtotal of options.subtotal) {
      const base = subtotal.value ?? itemsSum;
      if (base === null || total.value === null) continue;
      for (const discount of options.discount) {
        for (const shipping of options.shipping) {
          for (const tax of options.tax) {
            const added = tax.included ? 0n : toUnits(tax.value ?? '0');
            const computed = toUnits(base) - toUnits(discount.value ?? '0') + toUnits(shipping.value ?? '0') + added;
            if (!closeTo(computed, toUnits(total.value))) continue;
            if (tax.included && toUnits(tax.value ?? '0') >= toUnits(total.value)) continue;
            const choice = { subtotal, discount, shipping, tax, total };
            const cost = Object.values(choice).reduce((acc, option) => acc + option.cost, 0);
            if (!best || cost < best.cost) best = { choice, cost };
          }
        }
      }
    }
  }

  const first = (list: Option[]): Option => list[0] ?? { value: null, confidence: 0, cost: 0 };
  // Several tax lines (19% and 7%, CGST and SGST) that nothing else checks: their sum is the tax.
  const combined = options.tax.find((option) => option.combined === true);
  const choice = best?.choice ?? {
    subtotal: first(options.subtotal),
    discount: first(options.discount),
    shipping: first(options.shipping),
    tax: combined ?? first(options.tax),
    total: first(options.total),
  };
  // Without a subtotal or items, printed rates still check the taxes against the total: Σ tax / rate + Σ tax = total.
  const byRate = !best && choice.total.value !== null && choice.subtotal.value === null && itemsSum === null ? rateCheck(parsed.amounts.tax, choice) : null;
  if (byRate) choice.tax = byRate;
  // The tax a failing equation needs, when the printed rates confirm it (a tax line OCR could not read) or it is
  // the printed tax with one digit misread (7 for 1, 8 for 3).
  const base = choice.subtotal.value ?? itemsSum;
  const implied = !best && !byRate && base !== null && choice.total.value !== null ? impliedTax(base, choice, parsed) : null;
  if (implied) choice.tax = implied.option;
  // A discount the totals leave out because a VAT breakdown already nets it (net + VAT = total) still
  // belongs to the document when the line items less it make the total.
  if (best && choice.discount.value === null && itemsSum !== null && choice.total.value !== null) {
    const printed = options.discount.find((option) => option.value !== null && closeTo(toUnits(itemsSum) - toUnits(option.value), toUnits(choice.total.value ?? '0')));
    if (printed) choice.discount = printed;
  }
  const amounts = {} as Record<AmountField, Field<string>>;
  const leftOut: AmountField[] = [];
  for (const field of Object.keys(choice) as AmountField[]) {
    const option = choice[field];
    amounts[field] = { value: option.value, confidence: option.confidence };
    if (option.value === null && parsed.amounts[field].length > 0) leftOut.push(field);
  }
  const subtotalOrItems = amounts.subtotal.value ?? itemsSum;
  return {
    amounts,
    totals: best || byRate || implied ? 'pass' : subtotalOrItems !== null && amounts.total.value !== null ? 'fail' : 'unchecked',
    formula: byRate ? 'tax at its printed rate + tax = total' : implied ? `${formulaOf(amounts)} (${implied.how})` : formulaOf(amounts),
    itemsSum: itemsCheck(itemsSum, amounts),
    leftOut,
    supplied: implied ? ['tax'] : [],
  };
}

function withAbsence(candidates: Candidate[]): Option[] {
  const present = candidates
    .slice(0, MAX_OPTIONS)
    .map((c, cost): Option => ({ value: c.value, confidence: c.confidence, cost, ...(c.included ? { included: true } : {}), ...(c.label === 'combined' ? { combined: true } : {}) }));
  return [...present, { value: null, confidence: 0, cost: present.length > 0 ? LEAVE_OUT_COST : 0 }];
}

/** Several differently labelled tax lines (CGST + SGST, GST + PST) are also tried as their sum. */
function taxCandidates(candidates: Candidate[]): Candidate[] {
  const byLabel = new Map<string, Candidate>();
  for (const candidate of candidates) if (!byLabel.has(candidate.label)) byLabel.set(candidate.label, candidate);
  if (byLabel.size < 2) return candidates;
  const parts = [...byLabel.values()];
  const combined: Candidate = {
    value: addDecimals(parts.map((part) => part.value)),
    confidence: Math.min(...parts.map((part) => part.confidence)) * 0.9,
    rank: 0,
    label: 'combined',
    lineIndex: -1,
    ...(parts.every((part) => part.included) ? { included: true } : {}),
  };
  return [...candidates.slice(0, MAX_OPTIONS - 1), combined];
}

/**
 * The tax lines' printed rates against the total: each line's base is its tax divided by its rate, and
 * the bases plus the taxes (plus shipping, less discount) make the total, within the rounding of each tax.
 */
function rateCheck(taxes: Candidate[], choice: Record<AmountField, Option>): Option | null {
  const byLabel = new Map<string, Candidate>();
  for (const tax of taxes) if (!tax.included && !byLabel.has(tax.label)) byLabel.set(tax.label, tax);
  const parts = [...byLabel.values()];
  if (parts.length === 0 || choice.total.value === null) return null;
  let bases = 0;
  let tolerance = 0.01;
  for (const part of parts) {
    const rate = /(\d{1,2}(?:[.,]\d{1,3})?)\s?%/.exec(part.label)?.[1];
    const fraction = rate ? Number(rate.replace(',', '.')) / 100 : 0;
    if (fraction <= 0) return null;
    bases += Number(part.value) / fraction;
    tolerance += 0.005 / fraction;
  }
  const tax = addDecimals(parts.map((part) => part.value));
  const adjustments = Number(choice.shipping.value ?? '0') - Number(choice.discount.value ?? '0');
  if (Math.abs(bases + Number(tax) + adjustments - Number(choice.total.value)) > tolerance) return null;
  return { value: tax, confidence: Math.min(...parts.map((part) => part.confidence)), cost: 0, ...(parts.length > 1 ? { combined: true } : {}) };
}

/** Confidence of a tax the arithmetic supplies rather than the page. */
const IMPLIED_TAX_CONFIDENCE = 0.7;

function impliedTax(base: string, choice: Record<AmountField, Option>, parsed: ParsedDocument): { option: Option; how: string } | null {
  const tax = toUnits(choice.total.value ?? '0') - toUnits(base) + toUnits(choice.discount.value ?? '0') - toUnits(choice.shipping.value ?? '0');
  if (tax <= 0n) return null;
  const value = formatUnits(tax);
  const rates = [...(parsed.taxRates?.values() ?? [])];
  if (rates.length > 0 && rates.every((rate) => rate !== null)) {
    const expected = (Number(base) - Number(choice.discount.value ?? '0')) * rates.reduce((sum: number, rate) => sum + (rate ?? 0), 0);
    // Each tax line is rounded on its own; shipping may or may not be taxed.
    const tolerance = 0.006 * rates.length + Number(choice.shipping.value ?? '0') * 0.3;
    if (Math.abs(Number(value) - expected) <= tolerance) return { option: { value, confidence: IMPLIED_TAX_CONFIDENCE, cost: 0 }, how: 'tax from its printed rate' };
  }
  const printed = parsed.amounts.tax.find((candidate) => !candidate.included);
  if (printed && oneDigitApart(printed.value, value)) return { option: { value, confidence: IMPLIED_TAX_CONFIDENCE, cost: 0 }, how: 'one digit of the tax corrected' };
  return null;
}

function oneDigitApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let differences = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differences += /\d/.test(a[i] ?? '') && /\d/.test(b[i] ?? '') ? 1 : 2;
  return differences === 1;
}

function formatUnits(units: bigint): string {
  return addDecimals([`${units / 1_000_000n}.${String(units % 1_000_000n).padStart(6, '0').slice(0, 2)}`]);
}

function itemsCheck(itemsSum: string | null, amounts: Record<AmountField, Field<string>>): CheckStatus {
  const target = amounts.subtotal.value ?? amounts.total.value;
  if (itemsSum === null || target === null) return 'unchecked';
  const total = toUnits(itemsSum);
  const matches = [amounts.subtotal.value, amounts.total.value].some((value) => value !== null && closeTo(total, toUnits(value)));
  return matches ? 'pass' : 'fail';
}

function formulaOf(amounts: Record<AmountField, Field<string>>): string {
  const parts = [amounts.subtotal.value !== null ? 'subtotal' : 'line items'];
  if (amounts.discount.value !== null) parts.push('− discount');
  if (amounts.shipping.value !== null) parts.push('+ shipping');
  if (amounts.tax.value !== null) parts.push('+ tax');
  return `${parts.join(' ')} = total`;
}
