import { describe, expect, it } from 'vitest';
import { cleanValue, isIncludedTax, scanLabels } from '../src/parse/labels.js';
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
    ['Statement Date: 01/02/2026', 'issueDate', '01/02/2026'],
    ['Transaction # 4471', 'invoiceNumber', '4471'],
    ['Please pay by 01/02/2026', 'dueDate', '01/02/2026'],
    ['Total before tax 10.00', 'subtotal', '10.00'],
    ['Taxable Value 10.00', 'subtotal', '10.00'],
    ['IGST @ 18% 1.80', 'tax', '@ 18% 1.80'],
    ['HST 13% 1.30', 'tax', '13% 1.30'],
    ['Please Pay 11.00', 'total', '11.00'],
    // German
    ['Rechnungsnummer: 2026-117', 'invoiceNumber', '2026-117'],
    ['Rechnungs-Nr. 2026-117', 'invoiceNumber', '2026-117'],
    ['Rechnungsnr.: 2026-117', 'invoiceNumber', '2026-117'],
    ['Rechnung Nr. 2026-117', 'invoiceNumber', '2026-117'],
    ['Re.-Nr.: 2026-117', 'invoiceNumber', '2026-117'],
    ['Beleg-Nr. 4711', 'invoiceNumber', '4711'],
    ['Bon-Nr. 4711', 'invoiceNumber', '4711'],
    ['Rechnungsdatum: 03.03.2026', 'issueDate', '03.03.2026'],
    ['Datum: 03.03.2026', 'issueDate', '03.03.2026'],
    ['Fälligkeitsdatum: 17.03.2026', 'dueDate', '17.03.2026'],
    ['Fällig am 17.03.2026', 'dueDate', '17.03.2026'],
    ['Zahlbar bis 17.03.2026', 'dueDate', '17.03.2026'],
    ['Faelligkeitsdatum 17.03.2026', 'dueDate', '17.03.2026'],
    ['Kunde: Bäckerei Schmitz', 'customerName', 'Bäckerei Schmitz'],
    ['Rechnungsempfänger: Bäckerei Schmitz', 'customerName', 'Bäckerei Schmitz'],
    ['Lieferant: Müller GmbH', 'vendorName', 'Müller GmbH'],
    ['Zwischensumme 205,00', 'subtotal', '205,00'],
    ['Nettobetrag 205,00', 'subtotal', '205,00'],
    ['Summe netto 205,00', 'subtotal', '205,00'],
    ['Rabatt -10,00', 'discount', '-10,00'],
    ['Versandkosten 4,90', 'shipping', '4,90'],
    ['MwSt. 19% 38,95', 'tax', '19% 38,95'],
    ['zzgl. 19 % MwSt. 38,95', 'tax', '38,95'],
    ['19% USt. 38,95', 'tax', '38,95'],
    ['Umsatzsteuer 38,95', 'tax', '38,95'],
    ['Gesamtbetrag 243,95', 'total', '243,95'],
    ['Endbetrag 243,95', 'total', '243,95'],
    ['Rechnungsbetrag 243,95', 'total', '243,95'],
    ['Summe 243,95', 'total', '243,95'],
    ['Zu zahlen 243,95', 'total', '243,95'],
    ['Gesamt brutto 243,95', 'total', '243,95'],
    // French
    ['Numéro de facture : F-42', 'invoiceNumber', 'F-42'],
    ['Numero de facture : F-42', 'invoiceNumber', 'F-42'],
    ['N° de facture : F-42', 'invoiceNumber', 'F-42'],
    ['Facture n° F-42', 'invoiceNumber', 'F-42'],
    ['Facture N° F-42', 'invoiceNumber', 'F-42'],
    ['Date de facture : 05/03/2026', 'issueDate', '05/03/2026'],
    ["Date d'émission : 05/03/2026", 'issueDate', '05/03/2026'],
    ['Date d’émission : 05/03/2026', 'issueDate', '05/03/2026'],
    ['Émise le 05/03/2026', 'issueDate', '05/03/2026'],
    ['Échéance : 04/04/2026', 'dueDate', '04/04/2026'],
    ['Echeance : 04/04/2026', 'dueDate', '04/04/2026'],
    ["Date d'échéance : 04/04/2026", 'dueDate', '04/04/2026'],
    ['À payer avant le 04/04/2026', 'dueDate', '04/04/2026'],
    ['Client : Café des Arts', 'customerName', 'Café des Arts'],
    ['Facturé à : Café des Arts', 'customerName', 'Café des Arts'],
    ['Fournisseur : Atelier SAS', 'vendorName', 'Atelier SAS'],
    ['Sous-total 198,00', 'subtotal', '198,00'],
    ['Total HT 198,00', 'subtotal', '198,00'],
    ['Total hors taxes 198,00', 'subtotal', '198,00'],
    ['Montant HT 198,00', 'subtotal', '198,00'],
    ['Remise 10 % -19,80', 'discount', '10 % -19,80'],
    ['Frais de port 15,00', 'shipping', '15,00'],
    ['TVA 20 % 39,60', 'tax', '20 % 39,60'],
    ['Montant TVA 39,60', 'tax', '39,60'],
    ['Total TTC 237,60', 'total', '237,60'],
    ['Net à payer 237,60', 'total', '237,60'],
    ['Montant dû 237,60', 'total', '237,60'],
    ['Total à payer 237,60', 'total', '237,60'],
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
    ['Kundennummer: 10442'],
    ['Kunden-Nr.: 10442'],
    ['USt-IdNr.: DE123456789'],
    ['Steuernummer 27/123/45678'],
    ['Bestellnummer: 5531'],
    ['Lieferdatum: 01.02.2026'],
    ['Leistungszeitraum: 01.02.2026'],
    ['Bankverbindung: IBAN DE89 3704'],
    ['N° client : 10442'],
    ['N° TVA intracom. : FR12345678901'],
    ['SIRET : 123 456 789 00012'],
    ['Bon de commande : BC-42'],
    ['Date de livraison : 01/02/2026'],
    ['Billing period: 01/02/2026'],
    ['Cash 20.00'],
    ['Change 4.50'],
    ['Rückgeld 4,50'],
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

describe('isIncludedTax', () => {
  it.each([
    ['inkl. 19% MwSt.', true],
    ['enthaltene MwSt. 19%', true],
    ['dont TVA 20%', true],
    ['TVA 20% incluse', true],
    ['VAT included', true],
    ['Tax (8%)', false],
    ['zzgl. 19% MwSt.', false],
  ] as const)('%s → %s', (text, included) => {
    expect(isIncludedTax(text)).toBe(included);
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
