import { describe, expect, it } from 'vitest';
import type { Scored } from '../src/confidence.js';
import { applyOcrConfidence, arithmeticHolds } from '../src/ocr/confidence.js';
import type { PlacedWord } from '../src/ocr/lines.js';
import type { ExtractedFields } from '../src/types.js';

function fields(values: Partial<Record<keyof ExtractedFields, string>>, confidence = 0.95): ExtractedFields {
  const names: (keyof ExtractedFields)[] = ['vendorName', 'customerName', 'invoiceNumber', 'issueDate', 'dueDate', 'currency', 'subtotal', 'discount', 'shipping', 'tax', 'total'];
  return Object.fromEntries(names.map((name) => [name, { value: values[name] ?? null, confidence: values[name] ? confidence : 0 }])) as unknown as ExtractedFields;
}

const KEYS = { vendorName: 'Northwind Traders LLC', invoiceNumber: 'INV-2026-0042', issueDate: '2026-03-04', currency: 'USD' };

function words(texts: [string, number][][]): PlacedWord[] {
  return texts.flatMap((line, lineIndex) => line.map(([text, confidence], i) => ({ text, confidence, lineIndex, x: i * 50, y: lineIndex * 14, width: 40, size: 10 })));
}

const PAGE = words([
  [['Northwind', 0.96], ['Traders', 0.95], ['LLC', 0.95]],
  [['Invoice', 0.95], ['#:', 0.9], ['INV-2026-0042', 0.55]],
  [['Date:', 0.95], ['03/04/2026', 0.93]],
  [['Subtotal', 0.95], ['$1,290.00', 0.9]],
  [['Tax', 0.95], ['$88.13', 0.9]],
  [['Total', 0.95], ['$1,378.13', 0.92]],
]);

describe('OCR confidence', () => {
  it('checks the totals arithmetic on the output fields', () => {
    expect(arithmeticHolds(fields({ subtotal: '1290.00', tax: '88.13', total: '1378.13' }), [])).toBe(true);
    expect(arithmeticHolds(fields({ subtotal: '1290.00', tax: '88.13', total: '1387.13' }), [])).toBe(false);
    expect(arithmeticHolds(fields({ total: '100.00' }), [{ description: 'a', quantity: null, unitPrice: null, amount: '100.00', confidence: 1 }])).toBe(true);
    expect(arithmeticHolds(fields({ total: '100.00' }), [])).toBe(false);
  });

  it('keeps an OCR result whose totals do not cross-check below the review threshold, however sure the engine was', () => {
    const scored: Scored = { fields: fields({ ...KEYS, total: '1378.13' }), lineItems: [], confidence: 0.95, reasons: [] };
    const result = applyOcrConfidence(scored, { words: PAGE.map((word) => ({ ...word, confidence: 0.97 })), meanConfidence: 0.97 });
    expect(result.confidence).toBeLessThan(0.85);
    expect(result.reasons).toContain('OCR mean word confidence 0.97');
  });

  it('lets a well-read OCR result with reconciling totals through, and lowers fields read with low word confidence', () => {
    const scored: Scored = { fields: fields({ ...KEYS, subtotal: '1290.00', tax: '88.13', total: '1378.13' }), lineItems: [], confidence: 0.95, reasons: ['totals reconcile'] };
    const sure = applyOcrConfidence(scored, { words: PAGE.map((word) => ({ ...word, confidence: 0.96 })), meanConfidence: 0.96 });
    expect(sure.confidence).toBe(0.95);

    // The invoice number's word was read with confidence 0.55: that field drops and takes the overall below 0.85.
    const unsure = applyOcrConfidence(scored, { words: PAGE, meanConfidence: 0.92 });
    expect(unsure.fields.invoiceNumber.confidence).toBeLessThan(0.6);
    expect(unsure.fields.total.confidence).toBe(0.95); // confirmed by the arithmetic
    expect(unsure.confidence).toBeLessThan(0.85);
    expect(unsure.reasons).toContain('invoice number read with low OCR confidence 0.55');
  });

  it('caps a page OCR read poorly', () => {
    const scored: Scored = { fields: fields({ ...KEYS, subtotal: '1290.00', tax: '88.13', total: '1378.13' }), lineItems: [], confidence: 0.95, reasons: [] };
    const result = applyOcrConfidence(scored, { words: [], meanConfidence: 0.5 });
    expect(result.confidence).toBeLessThanOrEqual(0.6);
    expect(result.reasons).toContain('OCR read the document poorly');
  });

  it('doubts names with digits inside words', () => {
    const scored: Scored = { fields: fields({ ...KEYS, vendorName: 'Müller & S6hne GmbH', subtotal: '1290.00', tax: '88.13', total: '1378.13' }), lineItems: [], confidence: 0.95, reasons: [] };
    const result = applyOcrConfidence(scored, { words: PAGE, meanConfidence: 0.95 });
    expect(result.fields.vendorName.confidence).toBeLessThan(0.7);
    expect(result.confidence).toBeLessThan(0.85);
  });

  it('never puts document text into reasons', () => {
    const scored: Scored = { fields: fields({ ...KEYS, total: '1378.13' }), lineItems: [], confidence: 0.9, reasons: [] };
    const result = applyOcrConfidence(scored, { words: PAGE, meanConfidence: 0.8 });
    for (const reason of result.reasons) expect(reason).not.toMatch(/INV-2026|Northwind|1378/);
  });
});
