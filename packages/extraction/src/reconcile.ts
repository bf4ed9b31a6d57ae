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
}

interface Option {
  value: string | null;
  confidence: number;
  /** 0 for the best candidate; higher is a less preferred choice. */
  cost: number;
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
            const computed = toUnits(base) - toUnits(discount.value ?? '0') + toUnits(shipping.value ?? '0') + toUnits(tax.value ?? '0');
            if (!closeTo(computed, toUnits(total.value))) continue;
            const choice = { subtotal, discount, shipping, tax, total };
            const cost = Object.values(choice).reduce((acc, option) => acc + option.cost, 0);
            if (!best || cost < best.cost) best = { choice, cost };
          }
        }
      }
    }
  }

  const first = (list: Option[]): Option => list[0] ?? { value: null, confidence: 0, cost: 0 };
  const choice = best?.choice ?? {
    subtotal: first(options.subtotal),
    discount: first(options.discount),
    shipping: first(options.shipping),
    tax: first(options.tax),
    total: first(options.total),
  };
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
    totals: best ? 'pass' : subtotalOrItems !== null && amounts.total.value !== null ? 'fail' : 'unchecked',
    formula: formulaOf(amounts),
    itemsSum: itemsCheck(itemsSum, amounts),
    leftOut,
  };
}

function withAbsence(candidates: Candidate[]): Option[] {
  const present = candidates.slice(0, MAX_OPTIONS).map((c, cost): Option => ({ value: c.value, confidence: c.confidence, cost }));
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
  };
  return [...candidates.slice(0, MAX_OPTIONS - 1), combined];
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
