import { describe, expect, it } from 'vitest';
import { cleanValue, scanLabels } from '../src/parse/labels.js';
import { linesFromText } from './fixtures/text-lines.js';

/** The fields of each label found in a one-line text, with the text after it. */
function labelsIn(text: string): [string, string][] {
  return (scanLabels(linesFromText(text))[0] ?? []).map((hit) => [hit.def.fields.join('|') || 'other', cleanValue(hit.inline)]);
}

describe('scanLabels', () => {
  it.each([
    ['Invoice #: INV-001', 'invoiceNumber', 'INV-001'],
    ['Invoice No. 4471', 'invoiceNumber', '4471'],
    ['Invoice No: 4471', 'invoiceNumber', '4471'],
    ['Inv. No. 4471', 'invoiceNumber', '4471'],
    ['Invoice Number 4471', 'invoiceNumber', '4471'],
    ['INVOICE NUMBER: 4471', 'invoiceNumber', '4471'],
    ['Bill Number: B-9', 'invoiceNumber', 'B-9'],
    ['Bill No. B-9', 'invoiceNumber', 'B-9'],
    ['Receipt #00451', 'invoiceNumber', '00451'],
    ['Invoice Date: 01/02/2026', 'issueDate', '01/02/2026'],
    ['Issue Date 01/02/2026', 'issueDate', '01/02/2026'],
    ['Date of issue: 01/02/2026', 'issueDate', '01/02/2026'],
    ['Date: 01/02/2026', 'issueDate', '01/02/2026'],
    ['Tax Point: 01/02/2026', 'issueDate', '01/02/2026'],
    ['Due Date: 01/02/2026', 'dueDate', '01/02/2026'],
    ['Payment Due: 01/02/2026', 'dueDate|total', '01/02/2026'],
    ['Due by 01/02/2026', 'dueDate', '01/02/2026'],
    ['Subtotal: 10.00', 'subtotal', '10.00'],
    ['Sub-total 10.00', 'subtotal', '10.00'],
    ['Sub Total 10.00', 'subtotal', '10.00'],
    ['Total excl. VAT 10.00', 'subtotal', '10.00'],
    ['Net Total 10.00', 'subtotal', '10.00'],
    ['Tax 1.00', 'tax', '1.00'],
    ['VAT 1.00', 'tax', '1.00'],
    ['GST 1.00', 'tax', '1.00'],
    ['Sales Tax 1.00', 'tax', '1.00'],
    ['Total VAT 1.00', 'tax', '1.00'],
    ['CGST @ 9% 1.00', 'tax', '@ 9% 1.00'],
    ['Discount -2.00', 'discount', '-2.00'],
    ['Shipping & Handling 5.00', 'shipping', '5.00'],
    ['Freight 5.00', 'shipping', '5.00'],
    ['Total 11.00', 'total', '11.00'],
    ['TOTAL: 11.00', 'total', '11.00'],
    ['Grand Total 11.00', 'total', '11.00'],
    ['Total Due 11.00', 'total', '11.00'],
    ['Amount Due 11.00', 'total', '11.00'],
    ['Balance Due 11.00', 'total', '11.00'],
    ['Total incl. VAT 11.00', 'total', '11.00'],
    ['Bill To: Contoso', 'customerName', 'Contoso'],
    ['Billed To: Contoso', 'customerName', 'Contoso'],
    ['Sold To: Contoso', 'customerName', 'Contoso'],
    ['Customer: Contoso', 'customerName', 'Contoso'],
    ['From: Northwind', 'vendorName', 'Northwind'],
    ['Vendor: Northwind', 'vendorName', 'Northwind'],
    ['Payable to: Northwind', 'vendorName', 'Northwind'],
  ])('%s → %s', (text, field, value) => {
    expect(labelsIn(text)).toEqual([[field, value]]);
  });

  it.each([
    ['VAT Reg No: GB123456789'],
    ['Tax ID: 12-3456789'],
    ['GSTIN: 29ABCDE1234F1Z5'],
    ['Customer ID: 77'],
    ['PO Number: 5531'],
    ['Order Date: 01/02/2026'],
    ['Ship Date: 01/02/2026'],
    ['Amount Paid: 5.00'],
    ['Total Paid: 5.00'],
    ['Total Hours: 12'],
    ['Phone: 555 0100'],
  ])('keeps %s out of the fields', (text) => {
    expect(labelsIn(text).every(([field]) => field === 'other')).toBe(true);
  });

  it('finds several labels in one cell and splits their values', () => {
    expect(labelsIn('Invoice No: 2026-117 Date: 2 March 2026 Due: 16 March 2026')).toEqual([
      ['invoiceNumber', '2026-117'],
      ['issueDate', '2 March 2026'],
      ['dueDate', '16 March 2026'],
    ]);
  });

  it('matches whole words only', () => {
    expect(labelsIn('Totals are estimated; update pending')).toEqual([]);
    expect(labelsIn('Subtotals')).toEqual([]);
  });

  it('prefers the longest label at a position', () => {
    expect(labelsIn('TAX INVOICE')).toEqual([['invoiceNumber', '']]);
    expect(labelsIn('Due Date 01/02/2026')).toEqual([['dueDate', '01/02/2026']]);
    expect(labelsIn('Shipping Address: 1 Main St')).toEqual([['other', '1 Main St']]);
  });
});

describe('cleanValue', () => {
  it.each([
    [': INV-1', 'INV-1'],
    [' # 42', '42'],
    [' - 42', '42'],
    ['-42', '-42'],
    ['.: x', 'x'],
  ])('%s → %s', (raw, clean) => {
    expect(cleanValue(raw)).toBe(clean);
  });
});
