import { describe, expect, it } from 'vitest';
import { cleanName, looksLikeName } from '../src/parse/parties.js';

describe('looksLikeName', () => {
  it.each([
    'Northwind Traders LLC',
    'Fuchs & Weißdorn e.K.',
    'City of Springfield Water Department',
    'Mercier Logistique',
    'Atelier Lumière SAS',
    'Sharma Traders Pvt. Ltd.',
    'Jane Doe',
  ])('accepts %s', (text) => {
    expect(looksLikeName(text)).toBe(true);
  });

  it.each([
    'INVOICE',
    'Tax Invoice',
    'Rechnung',
    'Votre facture',
    'NVOICE',
    'Factu re',
    'Ticket de caisse',
    'Nous vous remercions de votre commande.',
    'Bei Zahlung innerhalb von 7 Tagen 2% Skonto.',
    'Attn: Accounts Payable',
    'z. Hd. Buchhaltung',
    'info@example.com',
    '+49 221 1234567',
    'Währung:',
    '2026-03-04',
  ])('rejects %s', (text) => {
    expect(looksLikeName(text)).toBe(false);
  });
});

describe('cleanName', () => {
  it.each([
    ['Blue Sky Group |', 'Blue Sky Group'],
    ['| Contoso Ltd', 'Contoso Ltd'],
    ['ea Maple Leaf Electric', 'Maple Leaf Electric'],
    ['de Vries B.V.', 'de Vries B.V.'],
    ['Garnier& Clément SASU', 'Garnier & Clément SASU'],
    ['Litware Inc.', 'Litware Inc.'],
  ])('%s → %s', (raw, clean) => {
    expect(cleanName(raw)).toBe(clean);
  });
});
