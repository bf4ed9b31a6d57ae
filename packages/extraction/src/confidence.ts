import { closeTo, multiply, toUnits } from './decimal.js';
import type { ParsedDocument } from './parse/fields.js';
import type { Reconciliation } from './reconcile.js';
import type { ExtractedFields, ExtractedLineItem, FieldName } from './types.js';

export interface Scored {
  fields: ExtractedFields;
  lineItems: ExtractedLineItem[];
  confidence: number;
  reasons: string[];
}

const KEY_FIELDS = ['vendorName', 'invoiceNumber', 'issueDate', 'total', 'currency'] as const satisfies FieldName[];

const FIELD_LABELS: Record<FieldName, string> = {
  vendorName: 'vendor name',
  customerName: 'customer name',
  invoiceNumber: 'invoice number',
  issueDate: 'issue date',
  dueDate: 'due date',
  currency: 'currency',
  subtotal: 'subtotal',
  discount: 'discount',
  shipping: 'shipping',
  tax: 'tax',
  total: 'total',
};

/** Moves a confidence towards 1 (agreeing evidence) keeping a little doubt. */
const confirm = (confidence: number): number => Math.max(confidence, 1 - (1 - confidence) * 0.3);
const round = (value: number): number => Math.round(value * 100) / 100;

/**
 * Adjusts field confidences by cross-checks (totals arithmetic, line items, dates) and derives the
 * overall confidence: 0.85 or more only when every key field was found and the arithmetic holds.
 */
export function score(parsed: ParsedDocument, reconciliation: Reconciliation): Scored {
  const reasons = [...parsed.reasons];
  const fields: ExtractedFields = { ...parsed.fields, ...reconciliation.amounts };
  let cap = 1;

  if (reconciliation.totals === 'pass') {
    reasons.push(`totals reconcile: ${reconciliation.formula}`);
    for (const field of ['subtotal', 'discount', 'shipping', 'tax', 'total'] as const) {
      if (fields[field].value !== null) fields[field] = { ...fields[field], confidence: confirm(fields[field].confidence) };
    }
  } else if (reconciliation.totals === 'fail') {
    reasons.push(`totals do not reconcile: ${reconciliation.formula}`);
    for (const field of ['subtotal', 'tax', 'total'] as const) fields[field] = { ...fields[field], confidence: fields[field].confidence * 0.7 };
    cap = Math.min(cap, 0.6);
  }
  for (const field of reconciliation.leftOut) reasons.push(`${FIELD_LABELS[field]} found but does not fit the totals`);

  const lineItems = parsed.lineItems.map((item) => ({ ...item }));
  const wrongItems = new Set<ExtractedLineItem>();
  let pricedItems = 0;
  for (const item of lineItems) {
    if (item.quantity === null || item.unitPrice === null) continue;
    pricedItems++;
    if (closeTo(multiply(toUnits(item.quantity), toUnits(item.unitPrice)), toUnits(item.amount))) {
      item.confidence = 0.95;
    } else {
      item.confidence = 0.4;
      wrongItems.add(item);
    }
  }
  if (pricedItems > 0 && wrongItems.size === 0) reasons.push('quantity × unit price = amount on every priced line item');
  if (wrongItems.size > 0) {
    reasons.push(`quantity × unit price ≠ amount on ${wrongItems.size} line item(s)`);
    cap = Math.min(cap, 0.75);
  }
  if (reconciliation.itemsSum === 'pass') {
    reasons.push(`line items sum to ${fields.subtotal.value !== null ? 'subtotal' : 'total'}`);
    for (const item of lineItems) if (!wrongItems.has(item)) item.confidence = round(confirm(item.confidence));
  } else if (reconciliation.itemsSum === 'fail') {
    reasons.push('line items do not sum to subtotal or total');
    for (const item of lineItems) item.confidence = round(item.confidence * 0.7);
    cap = Math.min(cap, 0.6);
  }
  if (reconciliation.totals === 'unchecked' && reconciliation.itemsSum === 'unchecked' && fields.total.value !== null) {
    reasons.push('totals could not be cross-checked');
    cap = Math.min(cap, 0.8);
  }

  const { issueDate, dueDate } = fields;
  if (issueDate.value !== null && dueDate.value !== null) {
    if (dueDate.value >= issueDate.value) {
      reasons.push('due date is on or after issue date');
      fields.issueDate = { ...issueDate, confidence: Math.min(0.98, issueDate.confidence + 0.05) };
      fields.dueDate = { ...dueDate, confidence: Math.min(0.98, dueDate.confidence + 0.05) };
    } else {
      reasons.push('due date is before issue date');
      fields.dueDate = { ...dueDate, confidence: dueDate.confidence * 0.5 };
      cap = Math.min(cap, 0.75);
    }
  }

  const missing = KEY_FIELDS.filter((field) => fields[field].value === null);
  for (const field of missing) reasons.push(`${FIELD_LABELS[field]} not found`);
  if (missing.length > 0) cap = Math.min(cap, missing.includes('total') ? 0.4 : 0.7 - 0.1 * missing.length);

  for (const name of Object.keys(fields) as FieldName[]) {
    fields[name] = fields[name].value === null ? { value: null, confidence: 0 } : { ...fields[name], confidence: round(fields[name].confidence) };
  }
  const mean = KEY_FIELDS.reduce((acc, field) => acc + fields[field].confidence, 0) / KEY_FIELDS.length;
  return { fields, lineItems, confidence: round(Math.max(0, Math.min(mean, cap))), reasons };
}
