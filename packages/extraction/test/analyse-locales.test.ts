import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import type { Scored } from '../src/confidence.js';
import { linesFromText } from './fixtures/text-lines.js';

/**
 * Hand-written documents in layouts and wordings the corpus generator does not produce, so that the
 * parser is checked against more than its own benchmark.
 */
const run = (page: string, kind?: 'invoice' | 'bill' | 'receipt'): Scored => analyse(linesFromText(page), kind ? { kind } : {});
const values = (result: Scored): Record<string, string | null> =>
  Object.fromEntries(Object.entries(result.fields).map(([name, field]) => [name, field.value]));
const items = (result: Scored): (string | null)[][] => result.lineItems.map((item) => [item.description, item.quantity, item.unitPrice, item.amount]);

describe('analyse: German documents', () => {
  it('reads a window-envelope invoice with the customer under the return address', () => {
    const result = run(`
!                                                  Müller Haustechnik GmbH
                                                   Lindenallee 88, 50667 Köln
Müller Haustechnik GmbH · Lindenallee 88 · 50667 Köln
Bäckerei Schmitz
Hauptstraße 12                                     Rechnungs-Nr.:     2026-0815
50667 Köln                                         Rechnungsdatum:    03.03.2026
                                                   Kunden-Nr.:        10442
!Rechnung
Pos.  Bezeichnung                     Menge   Einheit     Einzelpreis          Gesamt
1     Wartung Heizungsanlage            1     Pausch.        180,00 €        180,00 €
2     Dichtungssatz                     2     Stk.            12,50 €         25,00 €
                                           Nettobetrag                      205,00 €
                                           zzgl. 19 % MwSt.                  38,95 €
                                           Rechnungsbetrag                  243,95 €
Zahlbar bis 17.03.2026 ohne Abzug.
`);
    expect(values(result)).toEqual({
      vendorName: 'Müller Haustechnik GmbH',
      customerName: 'Bäckerei Schmitz',
      invoiceNumber: '2026-0815',
      issueDate: '2026-03-03',
      dueDate: '2026-03-17',
      currency: 'EUR',
      subtotal: '205.00',
      discount: null,
      shipping: null,
      tax: '38.95',
      total: '243.95',
    });
    expect(items(result)).toEqual([
      ['Wartung Heizungsanlage', '1', '180.00', '180.00'],
      ['Dichtungssatz', '2', '12.50', '25.00'],
    ]);
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('adds two VAT rates and reads written German dates', () => {
    const result = run(`
!Feinkost Weber e.K.
Rechnung Nr. 4711                                Datum: 2. März 2026
Rechnungsempfänger: Hotel Seeblick               Fällig am: 16. März 2026
Artikel                                  Anzahl      Preis       Betrag
Olivenöl 1 l                                  6      12,00        72,00
Weinkiste Riesling                            1     100,00       100,00
                                 Summe netto                   172,00
                                 MwSt. 7 %                       5,04
                                 MwSt. 19 %                     19,00
                                 Gesamtbetrag EUR              196,04
`);
    expect(values(result)).toMatchObject({
      vendorName: 'Feinkost Weber e.K.',
      customerName: 'Hotel Seeblick',
      invoiceNumber: '4711',
      issueDate: '2026-03-02',
      dueDate: '2026-03-16',
      currency: 'EUR',
      subtotal: '172.00',
      tax: '24.04',
      total: '196.04',
    });
    expect(result.reasons).toContain('totals reconcile: subtotal + tax = total');
  });
});

describe('analyse: French documents', () => {
  it('reads a French invoice with HT/TVA/TTC totals and a number in the title', () => {
    const result = run(`
!SARL Boulangerie Dupont
12 rue de la République, 69002 Lyon
SIRET 123 456 789 00012

FACTURE N° F-2026-042                            Date : 5 mars 2026
                                                 Échéance : 4 avril 2026
Client : Café des Arts

Désignation                     Qté       P.U. HT        Montant HT
Pain de campagne                 40        2,10 €           84,00 €
Croissants                      120        0,95 €          114,00 €
                                           Total HT         198,00 €
                                           TVA 5,5 %         10,89 €
                                           Total TTC        208,89 €
                                           Net à payer      208,89 €
`);
    expect(values(result)).toEqual({
      vendorName: 'SARL Boulangerie Dupont',
      customerName: 'Café des Arts',
      invoiceNumber: 'F-2026-042',
      issueDate: '2026-03-05',
      dueDate: '2026-04-04',
      currency: 'EUR',
      subtotal: '198.00',
      discount: null,
      shipping: null,
      tax: '10.89',
      total: '208.89',
    });
    expect(items(result)).toEqual([
      ['Pain de campagne', '40', '2.10', '84.00'],
      ['Croissants', '120', '0.95', '114.00'],
    ]);
  });

  it('reads a French statement with a discount, shipping and "1er" dates', () => {
    const result = run(`
!Atelier Lumière SAS
Numéro de facture : 2026/117
Date d'émission : 1er février 2026
Date d'échéance : 3 mars 2026
Facturé à : Galerie Moreau
Libellé                                         Montant
Conception graphique                           1 250,00
Impression                                       430,00
                          Sous-total           1 680,00
                          Remise 10 %           -168,00
                          Frais de port           15,00
                          TVA 20 %               305,40
                          Montant dû           1 832,40 EUR
`);
    expect(values(result)).toMatchObject({
      vendorName: 'Atelier Lumière SAS',
      customerName: 'Galerie Moreau',
      invoiceNumber: '2026/117',
      issueDate: '2026-02-01',
      dueDate: '2026-03-03',
      currency: 'EUR',
      subtotal: '1680.00',
      discount: '168.00',
      shipping: '15.00',
      tax: '305.40',
      total: '1832.40',
    });
    expect(result.reasons).toContain('totals reconcile: subtotal − discount + shipping + tax = total');
  });
});

describe('analyse: receipts and bills', () => {
  it('reads a narrow till receipt with VAT included and a quantity line above its item', () => {
    const result = run(`
!   CORNER GROCER
  Leeds LS1 5AA
VAT No: GB 220 4302 31
-----------------------------
MILK 2L                  £1.65
BREAD WHOLEMEAL          £1.40
2 x £0.85
BANANAS                  £1.70
-----------------------------
TOTAL                    £4.75
VISA                     £4.75
VAT INCLUDED 20%         £0.79
12/03/2026 08:14   ST:2211 TR:4501
`);
    expect(values(result)).toMatchObject({ vendorName: 'CORNER GROCER', issueDate: '2026-03-12', currency: 'GBP', total: '4.75', tax: '0.79', subtotal: null });
    expect(items(result)).toEqual([
      ['MILK 2L', null, null, '1.65'],
      ['BREAD WHOLEMEAL', null, null, '1.40'],
      ['BANANAS', '2', '0.85', '1.70'],
    ]);
    // A receipt without a number is not held back for it.
    expect(result.reasons).not.toContain('invoice number not found');
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('reads a German till receipt with VAT class letters after the prices', () => {
    const result = run(`
!   Bäckerei Sonnenschein
 Marktplatz 3, 80331 München
Bon-Nr. 4711     14.02.2026 07:45
--------------------------------
Brötchen 6 x 0,45        2,70 A
Kaffee to go             2,80 B
--------------------------------
SUMME EUR                5,50
Bar                     10,00
Rückgeld                 4,50
MwSt 7%  A   2,70  netto 2,52  0,18
MwSt 19% B   2,80  netto 2,35  0,45
`, 'receipt');
    expect(values(result)).toMatchObject({ vendorName: 'Bäckerei Sonnenschein', invoiceNumber: '4711', issueDate: '2026-02-14', currency: 'EUR', total: '5.50' });
    expect(items(result)).toEqual([
      ['Brötchen', '6', '0.45', '2.70'],
      ['Kaffee to go', null, null, '2.80'],
    ]);
  });

  it('reads a utility bill, not the balance carried forward', () => {
    const result = run(`
!City of Springfield Water Department
Account Number: 12-3456-78            Statement Date: 04/15/2026
Service Address: 42 Elm St            Due Date: 05/10/2026
Bill Number: W-2026-0415

Previous Balance                        $61.20
Payment Received - Thank You           -$61.20
Balance Forward                          $0.00

Current Charges
Water Usage (3,400 gal)                 $28.56
Sewer Service                           $31.10
Stormwater Fee                           $6.25
Total Current Charges                   $65.91
Total Amount Due                        $65.91
`, 'bill');
    expect(values(result)).toMatchObject({
      vendorName: 'City of Springfield Water Department',
      invoiceNumber: 'W-2026-0415',
      issueDate: '2026-04-15',
      dueDate: '2026-05-10',
      currency: 'USD',
      total: '65.91',
    });
    expect(items(result)).toEqual([
      ['Water Usage (3,400 gal)', null, null, '28.56'],
      ['Sewer Service', null, null, '31.10'],
      ['Stormwater Fee', null, null, '6.25'],
    ]);
  });
});

describe('analyse: Indian GST invoices', () => {
  it('reads IGST, lakh grouping and ₹, and ignores the amount in words', () => {
    const result = run(`
!Sharma Traders Pvt. Ltd.
GSTIN: 29ABCDE1234F1Z5
TAX INVOICE
Invoice No.: ST/25-26/1187                    Dated: 22-Nov-2026
Buyer: Kaveri Textiles
Sr. No.  Description of Goods     HSN/SAC     Qty       Rate           Amount
1        Cotton fabric (metres)   5208        500    ₹ 240.00   ₹ 1,20,000.00
2        Polyester thread         5402         40    ₹ 150.00     ₹ 6,000.00
                                  Taxable Value              ₹ 1,26,000.00
                                  IGST @ 5%                    ₹ 6,300.00
                                  Grand Total                ₹ 1,32,300.00
Amount Chargeable (in words): Indian Rupees One Lakh Thirty Two Thousand Three Hundred Only
`);
    expect(values(result)).toMatchObject({
      vendorName: 'Sharma Traders Pvt. Ltd.',
      customerName: 'Kaveri Textiles',
      invoiceNumber: 'ST/25-26/1187',
      issueDate: '2026-11-22',
      currency: 'INR',
      subtotal: '126000.00',
      tax: '6300.00',
      total: '132300.00',
    });
    expect(items(result)).toEqual([
      ['Cotton fabric (metres)', '500', '240.00', '120000.00'],
      ['Polyester thread', '40', '150.00', '6000.00'],
    ]);
  });
});

describe('analyse: totals without a subtotal', () => {
  it('checks taxes against the total by their printed rates', () => {
    const result = run(`
!Nordwind Beratung GmbH
Rechnungsnummer: RE-77        Rechnungsdatum: 01.04.2026
Beratungsleistungen März laut Stundennachweis
                         19 % USt.              320,53 €
                         7 % USt.                50,61 €
                         Gesamtbetrag         2.781,14 €
`);
    expect(values(result)).toMatchObject({ tax: '371.14', total: '2781.14', subtotal: null });
    expect(result.reasons).toContain('totals reconcile: tax at its printed rate + tax = total');
  });
});

describe('analyse: other common layouts', () => {
  it('reads an accounting-package invoice with labels and values in columns', () => {
    const result = run(`
!Sunrise Landscaping
123 Main Street
Anytown, CA 94000

INVOICE

BILL TO                      SHIP TO                  INVOICE      1023
Jane Doe                     Jane Doe                 DATE         01/15/2026
456 Oak Ave                  456 Oak Ave              TERMS        Net 15
Anytown, CA 94001            Anytown, CA 94001        DUE DATE     01/30/2026

DATE         ACTIVITY                     QTY       RATE        AMOUNT
01/10/2026   Lawn mowing                    1      45.00         45.00
01/12/2026   Hedge trimming                 2      30.00         60.00

                                         SUBTOTAL              105.00
                                         TAX (7.25%)             7.61
                                         TOTAL                 112.61
                                         BALANCE DUE          $112.61
`);
    expect(values(result)).toEqual({
      vendorName: 'Sunrise Landscaping',
      customerName: 'Jane Doe',
      invoiceNumber: '1023',
      issueDate: '2026-01-15',
      dueDate: '2026-01-30',
      currency: 'USD',
      subtotal: '105.00',
      discount: null,
      shipping: null,
      tax: '7.61',
      total: '112.61',
    });
    expect(items(result)).toEqual([
      ['Lawn mowing', '1', '45.00', '45.00'],
      ['Hedge trimming', '2', '30.00', '60.00'],
    ]);
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('reads a Swiss invoice dated in its place line, with an unnamed rate column', () => {
    const result = run(`
!Alpenblick Treuhand AG
Bahnhofstrasse 10, 8001 Zürich
                                   Zürich, 12. Januar 2026
Rechnung Nr. 2026-0012
Herr Peter Muster
Seestrasse 44, 8002 Zürich

Leistung                                  Std.     Ansatz        Betrag
Buchhaltung Q4 2025                       6.5      160.00      1'040.00
Steuererklärung 2025                      4.0      180.00        720.00
                              Total exkl. MWST               1'760.00
                              MWST 8.1%                        142.56
                              Total CHF                      1'902.56
Zahlbar innert 30 Tagen.
`);
    expect(values(result)).toMatchObject({
      vendorName: 'Alpenblick Treuhand AG',
      invoiceNumber: '2026-0012',
      issueDate: '2026-01-12',
      currency: 'CHF',
      subtotal: '1760.00',
      tax: '142.56',
      total: '1902.56',
    });
    expect(items(result)).toEqual([
      ['Buchhaltung Q4 2025', '6.5', '160.00', '1040.00'],
      ['Steuererklärung 2025', '4.0', '180.00', '720.00'],
    ]);
  });
});
