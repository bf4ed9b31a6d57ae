import { describe, expect, it } from 'vitest';
import { detectDecimalMark, findAmounts, formatMoney, parseAmount, parseNumber } from '../src/parse/numbers.js';

describe('parseNumber', () => {
  it.each([
    ['1234.56', '.', '1234.56'],
    ['1,234.56', '.', '1234.56'],
    ['1,234,567.89', '.', '1234567.89'],
    ['1.234,56', ',', '1234.56'],
    ['1.234.567,89', ',', '1234567.89'],
    ['1.234,56', '.', '1234.56'],
    ['1,234.56', ',', '1234.56'],
    ['1 234,56', ',', '1234.56'],
    ["1'234.50", '.', '1234.50'],
    ['1,23,456.78', '.', '123456.78'],
    ['12,34,56,789.00', '.', '123456789.00'],
    ['1,234', '.', '1234'],
    ['1.234', ',', '1234'],
    ['1.234', '.', '1.234'],
    ['12,5', ',', '12.5'],
    ['12,50', '.', '12.50'],
    ['0.99', '.', '0.99'],
    ['007', '.', '7'],
    ['1000', '.', '1000'],
  ] as const)('%s with decimal mark %s → %s', (raw, mark, expected) => {
    expect(parseNumber(raw, mark)).toBe(expected);
  });

  it.each(['12.34.56', '1,2345.00', 'abc', '', '1.2.3'])('rejects %s', (raw) => {
    expect(parseNumber(raw, '.')).toBeNull();
  });
});

describe('parseAmount', () => {
  it.each([
    ['$1,234.56', '.', '1234.56', '$'],
    ['USD 1,234.56', '.', '1234.56', 'USD'],
    ['1,234.56 USD', '.', '1234.56', 'USD'],
    ['€1.234,56', ',', '1234.56', '€'],
    ['1.234,56 €', ',', '1234.56', '€'],
    ['1 234,56 EUR', ',', '1234.56', 'EUR'],
    ['£99.00', '.', '99.00', '£'],
    ['Rs. 1,23,456.00', '.', '123456.00', 'Rs.'],
    ['Rs 500', '.', '500', 'Rs'],
    ['₹2,500.00', '.', '2500.00', '₹'],
    ['¥12,000', '.', '12000', '¥'],
    ['CHF 1\'250.00', '.', '1250.00', 'CHF'],
    ['C$45.10', '.', '45.10', 'C$'],
    ['AU$45.10', '.', '45.10', 'AU$'],
    ['-$40.00', '.', '-40.00', '$'],
    ['$-40.00', '.', '-40.00', '$'],
    ['($40.00)', '.', '-40.00', '$'],
    ['40.00-', '.', '-40.00', null],
    ['12', '.', '12', null],
    ['1 234,56 €', ',', '1234.56', '€'],
    ['12 345 678,90 EUR', ',', '12345678.90', 'EUR'],
    ['EUR 1.234,56', ',', '1234.56', 'EUR'],
    ['1.234,56 EUR', ',', '1234.56', 'EUR'],
    ['€ 99,00', ',', '99.00', '€'],
    ["CHF 12'345.60", '.', '12345.60', 'CHF'],
    ['INR 12,34,567.00', '.', '1234567.00', 'INR'],
    ['₹ 1,20,000.00', '.', '120000.00', '₹'],
    ['Rs.1,234.00', '.', '1234.00', 'Rs.'],
    ['A$1,234.00', '.', '1234.00', 'A$'],
    ['-168,00 €', ',', '-168.00', '€'],
  ] as const)('%s → %s', (text, mark, value, marker) => {
    expect(parseAmount(text, mark)).toMatchObject({ value, marker });
  });

  it.each(['20%', 'INV-001', '2026-11-22', '$12 and $13', 'twelve'])('rejects %s', (text) => {
    expect(parseAmount(text, '.')).toBeNull();
  });
});

describe('findAmounts', () => {
  it('skips percentages and keeps the order of amounts', () => {
    expect(findAmounts('VAT 20% on £200.00   £40.00').map((a) => a.value)).toEqual(['200.00', '40.00']);
  });

  it('does not read digits inside identifiers', () => {
    expect(findAmounts('Invoice INV-001 / PO-77').map((a) => a.value)).toEqual([]);
  });

  it('keeps the currency of each amount when amounts follow each other', () => {
    expect(findAmounts('£362.42   £362.42').map((a) => [a.value, a.marker])).toEqual([['362.42', '£'], ['362.42', '£']]);
    expect(findAmounts('INR 3.75   INR 18.75').map((a) => [a.value, a.marker])).toEqual([['3.75', 'INR'], ['18.75', 'INR']]);
    expect(findAmounts('12,50 € 25,00 €', ',').map((a) => [a.value, a.marker])).toEqual([['12.50', '€'], ['25.00', '€']]);
  });

  it('skips rates written with a space or a decimal comma', () => {
    expect(findAmounts('TVA 5,5 % 10,89 €', ',').map((a) => a.value)).toEqual(['10.89']);
    expect(findAmounts('zzgl. 19 % MwSt. 38,95', ',').map((a) => a.value)).toEqual(['38.95']);
  });

  it('does not take a single space as a thousands separator in dot-decimal text', () => {
    expect(findAmounts('Widget 2 100.00 200.00').map((a) => a.value)).toEqual(['2', '100.00', '200.00']);
  });
});

describe('detectDecimalMark', () => {
  it.each([
    ['Subtotal 1,234.56 Tax 98.76', '.'],
    ['Zwischensumme 1.234,56 MwSt 234,57', ','],
    ['Total 45,00 EUR, dated 22.11.2026', ','],
    ['Date 22.11.2026 Total 1,000', '.'],
    ['Total HT 1 234,56 € TVA 246,91 €', ','],
    ["Total CHF 1'234.50 MWST 99.99", '.'],
    ['no amounts at all', '.'],
  ] as const)('%s → %s', (text, mark) => {
    expect(detectDecimalMark(text)).toBe(mark);
  });
});

describe('formatMoney', () => {
  it.each([
    ['12.5', 'USD', '12.50'],
    ['500', 'GBP', '500.00'],
    ['500', null, '500.00'],
    ['0.125', 'USD', '0.125'],
    ['12000', 'JPY', '12000'],
    ['-40', 'EUR', '-40.00'],
  ] as const)('%s %s → %s', (value, currency, expected) => {
    expect(formatMoney(value, currency)).toBe(expected);
  });
});
