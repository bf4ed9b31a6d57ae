import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import type { Scored } from '../src/confidence.js';
import { linesFromText } from './fixtures/text-lines.js';

const run = (page: string): Scored => analyse(linesFromText(page));
const REVIEW_THRESHOLD = 0.85;

const invoice = (date: string, currency: string, tax = 'Tax            8.00', total = '108.00'): string => `
!Northwind Traders LLC
Invoice #: A-1          Date: ${date}
Subtotal     ${currency}100.00
${tax}
Total        ${currency}${total}
`;

describe('confidence: dates', () => {
  it('doubts a numeric date that reads both ways when nothing settles the order', () => {
    const result = run(invoice('03/04/2026', ''));
    expect(result.fields.issueDate.value).toBe('2026-03-04');
    expect(result.fields.issueDate.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(result.reasons).toContain('issue date could be read day-first or month-first');
  });

  it('trusts it when the currency fixes the order (pounds: day first)', () => {
    const result = run(invoice('03/04/2026', '£'));
    expect(result.fields.issueDate).toMatchObject({ value: '2026-04-03' });
    expect(result.fields.issueDate.confidence).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
    expect(result.reasons).not.toContain('issue date could be read day-first or month-first');
  });

  it('trusts it when another date in the document has a day above 12', () => {
    const result = run(invoice('03/04/2026', '', 'Tax            8.00\nDue Date: 03/25/2026'));
    expect(result.fields.issueDate).toMatchObject({ value: '2026-03-04' });
    expect(result.fields.issueDate.confidence).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
  });

  it('trusts written dates', () => {
    expect(run(invoice('4 March 2026', '')).fields.issueDate.confidence).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
  });
});

describe('confidence: amounts the arithmetic supplies', () => {
  it('supplies a tax line OCR could not read from the printed rates, and holds the document for review', () => {
    const result = run(`
!Sharma Traders Pvt Ltd
Invoice No: 77        Date: 12 Jan 2026
Sub Total          Rs. 128.56
CGST 6%
SGST 6%            Rs. 7.71
Grand Total        Rs. 143.98
`);
    expect(result.fields.tax.value).toBe('15.42');
    expect(result.fields.tax.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(result.confidence).toBeLessThanOrEqual(0.8);
    expect(result.reasons.some((reason) => reason.startsWith('totals reconcile only with a supplied tax'))).toBe(true);
  });

  it('corrects one misread digit of the tax, and says so', () => {
    const result = run(invoice('4 March 2026', '$', 'Tax            $2.00'));
    expect(result.fields.tax.value).toBe('8.00');
    expect(result.fields.tax.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(result.reasons.join(' ')).toContain('one digit of the tax corrected');
  });

  it('does not invent a tax from a difference that matches neither a rate nor a printed tax', () => {
    const result = run(invoice('4 March 2026', '$', 'Tax            $3.50'));
    expect(result.fields.tax.value).toBe('3.50');
    expect(result.reasons).toContain('totals do not reconcile: subtotal + tax = total');
  });
});

describe('confidence: currency', () => {
  it('says when every amount carries the same currency', () => {
    expect(run(invoice('4 March 2026', '€', 'Tax            €8.00')).reasons).toContain('currency consistent across amounts');
  });

  it('doubts the currency when amounts carry different ones', () => {
    const result = run(invoice('4 March 2026', '€', 'Tax            £8.00'));
    expect(result.fields.currency.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(result.reasons).toContain('amounts printed in more than one currency');
  });

  it('takes a bare $ with a US address as US dollars', () => {
    const result = run(`
!Harbor Plumbing LLC
42 Harbor Road, Portland, OR 97201
Invoice #: 5521        Date: 2026-01-15
Subtotal    $210.00
Tax          $17.33
Total       $227.33
`);
    expect(result.fields.currency).toMatchObject({ value: 'USD' });
    expect(result.fields.currency.confidence).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
  });
});

describe('confidence: receipts', () => {
  it('does not hold a receipt back for having no number', () => {
    const result = analyse(
      linesFromText(`
!  CORNER CAFE
 12 High St, London
15/03/2026 12:41
Flat white          3.20
Croissant           2.10
TOTAL GBP           5.30
`),
      { kind: 'receipt' },
    );
    expect(result.fields.invoiceNumber.value).toBeNull();
    expect(result.reasons).not.toContain('invoice number not found');
    expect(result.confidence).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
  });
});
