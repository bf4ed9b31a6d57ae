import type { Line } from '../layout.js';
import type { ExtractedFields, ExtractedLineItem, Field } from '../types.js';
import { detectCurrency } from './currency.js';
import { detectDateOrder, findDates } from './dates.js';
import { scanLabels } from './labels.js';
import { extractHeaderlessItems, extractLineItems } from './line-items.js';
import { detectDecimalMark, findAmounts, formatMoney } from './numbers.js';
import { guessVendor } from './parties.js';
import { AMOUNT_FIELDS, collectCandidates, isAmountField, toField } from './values.js';
import type { AmountField, Candidate, LabelContext } from './values.js';

export interface ParsedDocument {
  fields: ExtractedFields;
  /** Every labelled amount found, best first, for the arithmetic to choose among. */
  amounts: Record<AmountField, Candidate[]>;
  lineItems: ExtractedLineItem[];
  reasons: string[];
}

export function parseDocument(lines: Line[]): ParsedDocument {
  const text = lines.map((line) => line.text).join('\n');
  const mark = detectDecimalMark(text);
  const markers = findAmounts(text, mark).flatMap((amount) => (amount.marker ? [amount.marker] : []));
  const currency = detectCurrency(text, markers);
  const context: LabelContext = { lines, hits: scanLabels(lines), mark, order: detectDateOrder(text, currency.value) };

  // "Tax (8%)" or "Total (USD)" is a totals line; "Tax preparation services" is an item.
  const isTotalsLine = (lineIndex: number): boolean =>
    (context.hits[lineIndex] ?? []).some(
      (hit) => hit.atCellStart && hit.def.fields.some(isAmountField) && !/\p{L}{2}/u.test(hit.inline.replace(/\b[A-Z]{3}\b/g, '')),
    );
  let table = extractLineItems(lines, mark, isTotalsLine);
  if (table.items.length === 0) table = extractHeaderlessItems(lines, mark);
  // Labels inside the item table ("Shipping" as an item, a "Total" column) say nothing about the document.
  table.lineIndexes.forEach((index) => (context.hits[index] = []));

  const candidates = collectCandidates(context);
  const customerName = toField(candidates.customerName);
  const isLabelOrTable = (lineIndex: number, cellIndex: number): boolean =>
    table.lineIndexes.has(lineIndex) || (context.hits[lineIndex] ?? []).some((hit) => hit.cellIndex === cellIndex && hit.atCellStart);
  const vendorName =
    candidates.vendorName.length > 0 ? toField(candidates.vendorName) : guessVendor(lines, isLabelOrTable, customerName.value);
  const dueDate = toField(candidates.dueDate);
  const issueDate = candidates.issueDate.length > 0 ? toField(candidates.issueDate) : unlabelledIssueDate(context, dueDate.value);

  const money = (value: string): string => formatMoney(value, currency.value);
  const amounts = Object.fromEntries(
    AMOUNT_FIELDS.map((field) => [field, candidates[field].map((candidate) => ({ ...candidate, value: money(candidate.value) }))]),
  ) as Record<AmountField, Candidate[]>;

  return {
    fields: {
      vendorName,
      customerName,
      invoiceNumber: toField(candidates.invoiceNumber),
      issueDate,
      dueDate,
      currency: { value: currency.value, confidence: currency.confidence },
      subtotal: toField(amounts.subtotal),
      discount: toField(amounts.discount),
      shipping: toField(amounts.shipping),
      tax: toField(amounts.tax),
      total: toField(amounts.total),
    },
    amounts,
    lineItems: table.items.map((item) => ({
      ...item,
      unitPrice: item.unitPrice === null ? null : money(item.unitPrice),
      amount: money(item.amount),
    })),
    reasons: currency.reason ? [currency.reason] : [],
  };
}

/** An unlabelled date near the top of the first page is most likely the issue date. */
function unlabelledIssueDate(context: LabelContext, dueDate: string | null): Field<string> {
  const firstPage = context.lines.filter((line) => line.page === context.lines[0]?.page).slice(0, 15);
  for (const line of firstPage) {
    const date = findDates(line.text, context.order).find((found) => found.value !== dueDate);
    if (date) return { value: date.value, confidence: 0.5 };
  }
  return { value: null, confidence: 0 };
}
