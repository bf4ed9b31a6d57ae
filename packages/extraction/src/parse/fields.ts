import type { Line } from '../layout.js';
import type { DocumentKind, ExtractedFields, ExtractedLineItem, Field } from '../types.js';
import { addDecimals, toUnits } from '../decimal.js';
import { joinSplitCells } from './cells.js';
import { currencyOfMarker, detectCurrency } from './currency.js';
import { dateOrderSettled, detectDateOrder, findDates, isAmbiguousDate } from './dates.js';
import { extractListItems } from './item-list.js';
import { isIncludedTax, scanLabels } from './labels.js';
import { extractHeaderlessItems, extractLineItems } from './line-items.js';
import type { ItemTable } from './line-items.js';
import { detectDecimalMark, findAmounts, formatMoney } from './numbers.js';
import { guessVendor, senderLine } from './parties.js';
import { AMOUNT_FIELDS, collectCandidates, isAmountField, toField } from './values.js';
import type { AmountField, Candidate, LabelContext } from './values.js';

export interface ParseOptions {
  /** What the uploader says the document is; receipts are also recognised by their narrow layout. */
  kind?: DocumentKind;
}

/** How fields were found, for the confidence. Never document text. */
export interface Evidence {
  /** Day-first or month-first is known: a numeric date has a part above 12, or the currency's convention is sure. */
  dateOrderSettled: boolean;
  issueDateAmbiguous: boolean;
  dueDateAmbiguous: boolean;
  issueDateLabelled: boolean;
  vendor: 'label' | 'sender' | 'prominent' | 'weak' | 'none';
  /** The vendor name is printed again elsewhere (footer, sender line, "payable to"). */
  vendorRepeated: boolean;
  customer: 'label' | 'window' | 'none';
  items: 'table' | 'list' | 'rows' | 'none';
  /** Every currency sign or code printed with an amount names the same currency ('none': no amount carries one). */
  currencyMarkers: 'consistent' | 'mixed' | 'none';
}

export interface ParsedDocument {
  fields: ExtractedFields;
  /** Every labelled amount found, best first, for the arithmetic to choose among. */
  amounts: Record<AmountField, Candidate[]>;
  lineItems: ExtractedLineItem[];
  reasons: string[];
  /** A till receipt: a narrow slip, or declared as one. */
  receipt?: boolean;
  /** How the fields were found; absent for values that did not come from parsing (a provider's). */
  evidence?: Evidence;
  /**
   * Rates printed in tax labels, by tax name ("cgst" → 0.06, "sgst" → 0.06); null for a tax name printed
   * with different rates (7% and 19% on different items), whose sum says nothing.
   */
  taxRates?: Map<string, number | null>;
}

export function parseDocument(rows: Line[], options: ParseOptions = {}): ParsedDocument {
  const lines = joinSplitCells(rows);
  const text = lines.map((line) => line.text).join('\n');
  const mark = detectDecimalMark(text);
  const markers = findAmounts(text, mark).flatMap((amount) => (amount.marker ? [amount.marker] : []));
  const currency = detectCurrency(text, markers);
  const context: LabelContext = { lines, hits: scanLabels(lines), mark, order: detectDateOrder(text, currency.value) };
  const receipt = options.kind === 'receipt' || isNarrow(lines);

  // "Tax (8%)" or "Total (USD)" is a totals line; "Tax preparation services" is an item. Totals and
  // subtotals keep that role whatever follows them ("Total current charges", "Subtotal (3 items)").
  const isTotalsLine = (lineIndex: number): boolean =>
    (context.hits[lineIndex] ?? []).some(
      (hit) =>
        hit.atCellStart &&
        hit.def.fields.some(isAmountField) &&
        (!/\p{L}{2}/u.test(hit.inline.replace(/\b[A-Z]{3}\b/g, '')) || (hit.def.rank >= 3 && hit.def.fields.some((field) => field === 'total' || field === 'subtotal'))),
    );
  const isLabelLine = (lineIndex: number): boolean =>
    (context.hits[lineIndex] ?? []).some((hit) => hit.atCellStart && !hit.def.fields.some(isAmountField) && (hit.def.fields.length > 0 || hit.cellIndex === 0));

  let items: Evidence['items'] = 'table';
  let table: ItemTable = extractLineItems(lines, mark, isTotalsLine);
  if (table.items.length === 0) {
    items = 'list';
    table = extractListItems({ lines, mark, isTotalsLine, isLabelLine, targets: sumTargets(collectCandidates(context)) });
  }
  if (table.items.length === 0) {
    items = 'rows';
    table = extractHeaderlessItems(lines, mark);
  }
  if (table.items.length === 0) items = 'none';
  // Labels inside the item table ("Shipping" as an item, a "Total" column) say nothing about the document.
  table.lineIndexes.forEach((index) => (context.hits[index] = []));

  const candidates = collectCandidates(context);
  const isLabelOrTable = (lineIndex: number, cellIndex: number): boolean =>
    table.lineIndexes.has(lineIndex) || (context.hits[lineIndex] ?? []).some((hit) => hit.cellIndex === cellIndex && hit.atCellStart);

  // A window envelope's return-address line ("Vendor GmbH · Street 5 · City") sits above the customer's address.
  const sender = senderLine(lines, isLabelOrTable);
  let customerName = toField(candidates.customerName);
  let customer: Evidence['customer'] = customerName.value === null ? 'none' : 'label';
  if (customerName.value === null && sender?.recipient) {
    customerName = { value: sender.recipient, confidence: 0.7 };
    customer = 'window';
  }

  let vendorName: Field<string>;
  let vendor: Evidence['vendor'];
  if (candidates.vendorName.length > 0) {
    vendorName = toField(candidates.vendorName);
    vendor = 'label';
  } else {
    const guess = guessVendor(lines, isLabelOrTable, customerName.value, receipt);
    vendorName = guess.field;
    vendor = guess.prominent ? 'prominent' : guess.field.value === null ? 'none' : 'weak';
    if (vendorName.value === null && sender) {
      vendorName = { value: sender.sender, confidence: 0.6 };
      vendor = 'sender';
    }
  }
  const vendorRepeated = vendorName.value !== null && isRepeated(vendorName.value, lines);

  const dueDate = toField(candidates.dueDate);
  const unlabelled = candidates.issueDate.length > 0 ? null : unlabelledIssueDate(context, dueDate.value);
  const issueDate: Field<string> = unlabelled ? { value: unlabelled.value, confidence: unlabelled.confidence } : toField(candidates.issueDate);

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
    receipt,
    taxRates: taxRatesOf(context),
    evidence: {
      dateOrderSettled: dateOrderSettled(text) || orderFromCurrency(currency.value, currency.confidence),
      issueDateAmbiguous: unlabelled ? unlabelled.ambiguous : candidates.issueDate[0]?.ambiguous === true,
      dueDateAmbiguous: candidates.dueDate[0]?.ambiguous === true,
      issueDateLabelled: candidates.issueDate.length > 0,
      vendor,
      vendorRepeated,
      customer,
      items,
      currencyMarkers: markerAgreement(markers),
    },
  };
}

function markerAgreement(markers: string[]): Evidence['currencyMarkers'] {
  const codes = new Set(markers.map(currencyOfMarker).filter((code): code is string => code !== null));
  // A bare "$" agrees with any dollar currency named elsewhere.
  if (codes.size > 1) codes.delete('$');
  if (codes.size === 0) return 'none';
  return codes.size === 1 ? 'consistent' : 'mixed';
}

/** Rates in tax labels outside the item table, whether or not their amount could be read. */
function taxRatesOf(context: LabelContext): Map<string, number | null> {
  const rates = new Map<string, number | null>();
  context.hits.forEach((lineHits) => {
    for (const hit of lineHits) {
      if (!hit.atCellStart || !hit.def.fields.includes('tax') || isIncludedTax(`${hit.text} ${hit.inline}`)) continue;
      const printed = /(\d{1,2}(?:[.,]\d{1,3})?)\s?%/.exec(`${hit.text} ${hit.inline}`)?.[1];
      if (!printed) continue;
      const rate = Number(printed.replace(',', '.')) / 100;
      const name = hit.text.toLowerCase().replace(/[^\p{L}]+/gu, '');
      const known = rates.get(name);
      rates.set(name, known === undefined || known === rate ? rate : null);
    }
  });
  return rates;
}

/** Currencies whose documents write numeric dates one way only: day first, or (US dollars, when sure) month first. */
const DAY_FIRST_CURRENCIES = new Set(['GBP', 'EUR', 'INR', 'AUD', 'NZD', 'CHF', 'ZAR', 'SGD', 'HKD', 'DKK', 'SEK', 'NOK', 'PLN', 'CZK', 'BRL', 'MXN', 'AED']);

function orderFromCurrency(currency: string | null, confidence: number): boolean {
  if (currency === null || confidence < 0.9) return false;
  return DAY_FIRST_CURRENCIES.has(currency) || currency === 'USD';
}

/**
 * An unlabelled date near the top of the first page is most likely the issue date: fairly sure when it
 * is the only date the document prints (receipts: with the time beside it), a guess otherwise.
 */
function unlabelledIssueDate(context: LabelContext, dueDate: string | null): Field<string> & { ambiguous: boolean } {
  const distinct = new Set(context.lines.flatMap((line) => findDates(line.text, context.order).map((date) => date.value)));
  if (dueDate !== null) distinct.delete(dueDate);
  const firstPage = context.lines.filter((line) => line.page === context.lines[0]?.page);
  for (const line of [...firstPage.slice(0, 15), ...firstPage.slice(-6)]) {
    const date = findDates(line.text, context.order).find((found) => found.value !== dueDate);
    if (!date) continue;
    const withTime = /\b\d{1,2}:\d{2}\b/.test(line.text);
    const confidence = distinct.size === 1 ? (withTime ? 0.88 : 0.8) : 0.5;
    return { value: date.value, confidence, ambiguous: isAmbiguousDate(line.text.slice(date.index)) };
  }
  return { value: null, confidence: 0, ambiguous: false };
}

/**
 * A till slip: the text of the page is at most about 32 characters of body text wide. Invoices set
 * in the same font run to 50 or more.
 */
function isNarrow(lines: Line[]): boolean {
  const firstPage = lines.filter((line) => line.page === lines[0]?.page);
  if (firstPage.length < 5) return false;
  const sizes = firstPage.map((line) => line.size).sort((a, b) => a - b);
  const body = sizes[Math.floor(sizes.length / 2)] ?? 1;
  const left = Math.min(...firstPage.map((line) => line.cells[0]?.x ?? Infinity));
  const right = Math.max(...firstPage.map((line) => line.cells.at(-1)?.right ?? -Infinity));
  return (right - left) / body < 32;
}

/** Whether a name appears on more than one line of the document (letterhead and footer, sender line). */
function isRepeated(name: string, lines: Line[]): boolean {
  const wanted = name.toLowerCase();
  if (wanted.length < 4) return false;
  return lines.filter((line) => line.text.toLowerCase().includes(wanted)).length >= 2;
}

const first = <T>(items: T[], count = 3): T[] => items.slice(0, count);

/**
 * Sums a list of items may add up to: the subtotal; the total; or the total less tax and shipping
 * plus discount in any combination of the labelled amounts.
 */
function sumTargets(candidates: Record<string, Candidate[]>): string[] {
  const values = (field: AmountField): string[] => first(candidates[field] ?? []).map((candidate) => candidate.value.replace(/^-/, ''));
  const taxes = values('tax');
  const taxOptions = ['0', ...taxes, ...(taxes.length > 1 ? [addDecimals(taxes)] : [])];
  const targets = new Set<string>(values('subtotal'));
  for (const total of values('total')) {
    for (const tax of taxOptions) {
      for (const shipping of ['0', ...values('shipping')]) {
        for (const discount of ['0', ...values('discount')]) {
          targets.add(addDecimals([total, `-${tax}`, `-${shipping}`, discount]));
        }
      }
    }
  }
  return [...targets].filter((target) => toUnits(target) > 0n);
}
