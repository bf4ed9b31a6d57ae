import { closeTo, multiply, toUnits } from './decimal.js';
import type { Evidence, ParsedDocument } from './parse/fields.js';
import type { Reconciliation } from './reconcile.js';
import type { ExtractedFields, ExtractedLineItem, FieldName } from './types.js';

export interface Scored {
  fields: ExtractedFields;
  lineItems: ExtractedLineItem[];
  confidence: number;
  reasons: string[];
}

export const KEY_FIELDS = ['vendorName', 'invoiceNumber', 'issueDate', 'total', 'currency'] as const satisfies FieldName[];
/** Till receipts often print no number: their key fields leave it out. */
const RECEIPT_KEY_FIELDS = ['vendorName', 'issueDate', 'total', 'currency'] as const satisfies FieldName[];
/** The overall confidence stays within this of the least sure key field. */
const WEAKEST_KEY_FIELD_SLACK = 0.05;
/** A numeric date that reads differently day-first and month-first, with nothing in the document to settle it. */
const AMBIGUOUS_DATE_FACTOR = 0.85;

/** How fields are named in reasons. */
export const FIELD_LABELS: Record<FieldName, string> = {
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

/** For values that did not come from parsing: nothing to add or take away. */
const NO_EVIDENCE: Evidence = {
  dateOrderSettled: true,
  issueDateAmbiguous: false,
  dueDateAmbiguous: false,
  issueDateLabelled: true,
  vendor: 'label',
  vendorRepeated: false,
  customer: 'label',
  items: 'table',
  currencyMarkers: 'none',
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

  const supplied = reconciliation.supplied ?? [];
  if (reconciliation.totals === 'pass' && supplied.length > 0) {
    // The equation holds only because it supplied a value: nothing is confirmed by it.
    reasons.push(`totals reconcile only with a supplied ${supplied.map((field) => FIELD_LABELS[field]).join(', ')}: ${reconciliation.formula}`);
    cap = Math.min(cap, 0.8);
  } else if (reconciliation.totals === 'pass') {
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

  const evidence = parsed.evidence ?? NO_EVIDENCE;
  if (!evidence.dateOrderSettled) {
    for (const [field, ambiguous] of [['issueDate', evidence.issueDateAmbiguous], ['dueDate', evidence.dueDateAmbiguous]] as const) {
      if (!ambiguous || fields[field].value === null) continue;
      fields[field] = { ...fields[field], confidence: fields[field].confidence * AMBIGUOUS_DATE_FACTOR };
      reasons.push(`${FIELD_LABELS[field]} could be read day-first or month-first`);
    }
  }
  if (evidence.vendor === 'prominent' && evidence.vendorRepeated) {
    reasons.push('vendor name printed more than once');
    fields.vendorName = { ...fields.vendorName, confidence: Math.max(fields.vendorName.confidence, 0.9) };
  } else if (evidence.vendor === 'weak' || evidence.vendor === 'sender') {
    reasons.push('vendor name guessed from the layout');
  }
  if (evidence.customer === 'window') reasons.push('customer name taken from the address block');
  if (evidence.currencyMarkers === 'consistent' && fields.currency.value !== null) {
    reasons.push('currency consistent across amounts');
  } else if (evidence.currencyMarkers === 'mixed') {
    reasons.push('amounts printed in more than one currency');
    fields.currency = { ...fields.currency, confidence: Math.min(fields.currency.confidence, 0.6) };
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

  const keyFields: readonly FieldName[] = parsed.receipt === true ? RECEIPT_KEY_FIELDS : KEY_FIELDS;
  const missing = keyFields.filter((field) => fields[field].value === null);
  for (const field of missing) reasons.push(`${FIELD_LABELS[field]} not found`);
  if (missing.length > 0) cap = Math.min(cap, missing.includes('total') ? 0.4 : 0.7 - 0.1 * missing.length);

  for (const name of Object.keys(fields) as FieldName[]) {
    fields[name] = fields[name].value === null ? { value: null, confidence: 0 } : { ...fields[name], confidence: round(fields[name].confidence) };
  }
  const mean = keyFields.reduce((acc, field) => acc + fields[field].confidence, 0) / keyFields.length;
  // One doubtful key field is enough to send the document to review, however sure the others are.
  const weakest = Math.min(...keyFields.map((field) => fields[field].confidence)) + WEAKEST_KEY_FIELD_SLACK;
  return { fields, lineItems, confidence: round(Math.max(0, Math.min(mean, cap, weakest))), reasons };
}
