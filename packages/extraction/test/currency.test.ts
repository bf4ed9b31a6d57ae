import { describe, expect, it } from 'vitest';
import { currencyOfMarker, detectCurrency } from '../src/parse/currency.js';

describe('currencyOfMarker', () => {
  it.each([
    ['$', '$'],
    ['€', 'EUR'],
    ['£', 'GBP'],
    ['₹', 'INR'],
    ['Rs.', 'INR'],
    ['¥', 'JPY'],
    ['usd', 'USD'],
    ['C$', 'CAD'],
    ['A$', 'AUD'],
    ['XYZ', null],
  ])('%s → %s', (marker, code) => {
    expect(currencyOfMarker(marker)).toBe(code);
  });
});

describe('detectCurrency', () => {
  it('reads a bare $ as USD, with less confidence', () => {
    expect(detectCurrency('Total $10.00', ['$'])).toMatchObject({ value: 'USD', confidence: 0.8 });
  });

  it('reads $ as CAD or AUD when the document names them', () => {
    expect(detectCurrency('All amounts in CAD. Total $10.00', ['$'])).toMatchObject({ value: 'CAD' });
    expect(detectCurrency('Total (AUD) $10.00', ['$'])).toMatchObject({ value: 'AUD' });
  });

  it('prefers symbols and codes printed with amounts', () => {
    expect(detectCurrency('Total £10.00 VAT £2.00', ['£', '£'])).toMatchObject({ value: 'GBP', confidence: 0.95 });
    expect(detectCurrency('Total 10,00 EUR', ['EUR'])).toMatchObject({ value: 'EUR', confidence: 0.95 });
    expect(detectCurrency('Total Rs. 500', ['Rs.'])).toMatchObject({ value: 'INR' });
  });

  it('takes a code written once without an amount, with less confidence', () => {
    expect(detectCurrency('Currency: CHF\nTotal 1,000.00', [])).toMatchObject({ value: 'CHF', confidence: 0.8 });
  });

  it('reads ¥ as CNY when the document says RMB', () => {
    expect(detectCurrency('Total ¥1,000 RMB', ['¥'])).toMatchObject({ value: 'CNY' });
  });

  it('returns null when nothing names a currency', () => {
    expect(detectCurrency('Total 10.00', [])).toEqual({ value: null, confidence: 0 });
  });
});
