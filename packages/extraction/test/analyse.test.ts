import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import type { Scored } from '../src/confidence.js';
import { linesFromText } from './fixtures/text-lines.js';

const run = (page: string): Scored => analyse(linesFromText(page));
const values = (result: Scored): Record<string, string | null> =>
  Object.fromEntries(Object.entries(result.fields).map(([name, field]) => [name, field.value]));

describe('analyse: layouts', () => {
  it('reads labels printed above their values', () => {
    const result = run(`
!Fabrikam Consulting GmbH
Hauptstrasse 5, 10115 Berlin

Invoice Number     Invoice Date     Due Date       Amount Due
F-2026-0815        15.03.2026       14.04.2026     1.190,00 EUR

Bill To
Tailspin Toys Ltd

Description                         Units        Unit Price          Total
Workshop facilitation                  2          500,00 EUR     1.000,00 EUR

                                    Subtotal                     1.000,00 EUR
                                    VAT 19%                        190,00 EUR
                                    Total                        1.190,00 EUR
`);
    expect(values(result)).toEqual({
      vendorName: 'Fabrikam Consulting GmbH',
      customerName: 'Tailspin Toys Ltd',
      invoiceNumber: 'F-2026-0815',
      issueDate: '2026-03-15',
      dueDate: '2026-04-14',
      currency: 'EUR',
      subtotal: '1000.00',
      discount: null,
      shipping: null,
      tax: '190.00',
      total: '1190.00',
    });
    expect(result.lineItems).toMatchObject([{ description: 'Workshop facilitation', quantity: '2', unitPrice: '500.00', amount: '1000.00' }]);
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('takes the invoice total, not the balance left after a payment', () => {
    const result = run(`
!Litware Inc.
Invoice # 1042                      Date: Jan 5, 2026
Bill To: Adventure Works

Description              Amount
Annual licence          $900.00

                 Subtotal            $900.00
                 Tax                  $72.00
                 Total               $972.00
                 Amount Paid         $500.00
                 Balance Due         $472.00
`);
    expect(values(result)).toMatchObject({ vendorName: 'Litware Inc.', total: '972.00', tax: '72.00', subtotal: '900.00', issueDate: '2026-01-05' });
    expect(result.lineItems).toMatchObject([{ description: 'Annual licence', quantity: null, unitPrice: null, amount: '900.00' }]);
  });

  it('adds up several tax lines (GST + PST) when the totals need it', () => {
    const result = run(`
!Maple Leaf Supplies Ltd
Invoice No: ML-77        Invoice Date: 2026-02-10        Due Date: 2026-03-12
All amounts in CAD

               Subtotal      $200.00
               GST 5%         $10.00
               PST 7%         $14.00
               Total         $224.00
`);
    expect(values(result)).toMatchObject({ currency: 'CAD', subtotal: '200.00', tax: '24.00', total: '224.00' });
    expect(result.reasons).toContain('totals reconcile: subtotal + tax = total');
  });

  it('keeps items named like totals inside the table out of the totals', () => {
    const result = run(`
!Contoso Hardware LLC
Invoice #: H-5          Date: 04/05/2026
Item                      Qty      Price      Amount
Drill                       1     $80.00      $80.00
Shipping                    1     $12.00      $12.00
                         Subtotal             $92.00
                         Total                $92.00
`);
    expect(values(result)).toMatchObject({ shipping: null, subtotal: '92.00', total: '92.00', issueDate: '2026-04-05' });
    expect(result.lineItems.map((line) => line.description)).toEqual(['Drill', 'Shipping']);
  });

  it('tells item rows named like totals from the totals lines after them', () => {
    const result = run(`
!Acme Tax Advisors LLC
Invoice #: T-9      Date: 2026-02-02
Description                                    Amount
Tax preparation services                      $400.00
Shipping of documents                          $20.00
Notes: thank you for your business     Subtotal   $420.00
                                       Tax (5%)    $21.00
                                       Total      $441.00
`);
    expect(result.lineItems.map((line) => [line.description, line.amount])).toEqual([
      ['Tax preparation services', '400.00'],
      ['Shipping of documents', '20.00'],
    ]);
    expect(values(result)).toMatchObject({ vendorName: 'Acme Tax Advisors LLC', shipping: null, subtotal: '420.00', tax: '21.00', total: '441.00' });
  });

  it('takes the Description column when an Item column holds product codes', () => {
    const result = run(`
!Tailwind Parts Co.
Invoice No. 311        Date: 2026-07-14
Item        Description              Qty     Rate      Amount
TW-100      Brake pads                 2    40.00       80.00
TW-220      Oil filter                 3    12.50       37.50
                                         Total        117.50
`);
    expect(result.lineItems.map((line) => line.description)).toEqual(['Brake pads', 'Oil filter']);
  });

  it('reads a price column as the line amount when there is no amount column', () => {
    const result = run(`
!Harbor Bakery
Receipt #: 5512        Date: 2026-07-14
Item                     Price
Sourdough loaf           $6.50
Croissants (4)           $9.00
Total                   $15.50
`);
    expect(result.lineItems.map((line) => [line.description, line.amount])).toEqual([
      ['Sourdough loaf', '6.50'],
      ['Croissants (4)', '9.00'],
    ]);
    expect(result.reasons).toContain('line items sum to total');
  });

  it('continues an item table on the next page without a repeated header', () => {
    const result = run(`
!Wide World Importers Ltd
Invoice No. WWI-9      Date: 21/01/2026
Description                 Qty      Unit Price       Amount
Teak bench                    2         £150.00      £300.00
Garden lamp                   4          £25.00      £100.00
\f
Wide World Importers Ltd - invoice WWI-9 continued
Planter                       1          £60.00       £60.00
                          Subtotal                   £460.00
                          VAT                         £92.00
                          Total                      £552.00
`);
    expect(result.lineItems.map((line) => line.description)).toEqual(['Teak bench', 'Garden lamp', 'Planter']);
    expect(values(result)).toMatchObject({ invoiceNumber: 'WWI-9', issueDate: '2026-01-21', currency: 'GBP', total: '552.00' });
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('reads item rows whose columns ran together, when the arithmetic confirms them', () => {
    const result = run(`
!Blue Sky Plumbing Inc.
Invoice Number: 5521 Invoice Date: 2026-01-15
Item Qty Price Total
Pipe repair 2 45.00 90.00
Water heater flush 1 120.00 120.00
Sub-total: 210.00
Tax: 17.33
Balance Due: 227.33
`);
    expect(result.lineItems).toMatchObject([
      { description: 'Pipe repair', quantity: '2', unitPrice: '45.00', amount: '90.00' },
      { description: 'Water heater flush', quantity: '1', unitPrice: '120.00', amount: '120.00' },
    ]);
    expect(values(result)).toMatchObject({ invoiceNumber: '5521', total: '227.33', currency: null });
  });

  it('reads a till receipt', () => {
    const result = run(`
!CORNER CAFE
12 High St, London
Receipt #: 00451    15/03/2026 12:41
Flat white          3.20
Subtotal            3.20
VAT 20%             0.64
TOTAL GBP           3.84
`);
    expect(values(result)).toMatchObject({ vendorName: 'CORNER CAFE', invoiceNumber: '00451', issueDate: '2026-03-15', currency: 'GBP', tax: '0.64', total: '3.84' });
  });
});

describe('analyse: confidence', () => {
  const invoice = (total: string, number = 'Invoice #: A-1'): string => `
!Northwind Traders LLC
${number}          Date: 2026-05-01        Due Date: 2026-05-31
Subtotal     $100.00
Tax            $8.00
Total        ${total}
`;

  it('is high when key fields are found and the totals reconcile', () => {
    const result = run(invoice('$108.00'));
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
    expect(result.reasons).toContain('totals reconcile: subtotal + tax = total');
    expect(result.fields.total.confidence).toBeGreaterThan(0.9);
  });

  it('is low when the totals contradict each other', () => {
    const result = run(invoice('$118.00'));
    expect(result.confidence).toBeLessThan(0.85);
    expect(result.reasons).toContain('totals do not reconcile: subtotal + tax = total');
    expect(result.fields.total.confidence).toBeLessThan(0.7);
  });

  it('is low when a key field is missing, and says which', () => {
    const result = run(invoice('$108.00', 'Reference list'));
    expect(result.fields.invoiceNumber).toEqual({ value: null, confidence: 0 });
    expect(result.confidence).toBeLessThan(0.85);
    expect(result.reasons).toContain('invoice number not found');
  });

  it('is low when the total is missing', () => {
    const result = run('!Northwind Traders LLC\nInvoice #: A-1   Date: 2026-05-01\nThank you');
    expect(result.confidence).toBeLessThanOrEqual(0.4);
    expect(result.reasons).toContain('total not found');
  });

  it('doubts a due date before the issue date', () => {
    const result = run(invoice('$108.00').replace('2026-05-31', '2026-04-01'));
    expect(result.reasons).toContain('due date is before issue date');
    expect(result.fields.dueDate.confidence).toBeLessThan(0.5);
    expect(result.confidence).toBeLessThan(0.85);
  });

  it('flags line items whose quantity × unit price is not the amount', () => {
    const result = run(`
!Northwind Traders LLC
Invoice #: A-1          Date: 2026-05-01
Description          Qty     Unit Price      Amount
Widget                 3        $10.00      $20.00
                 Total                      $20.00
`);
    expect(result.lineItems[0]?.confidence).toBeLessThan(0.5);
    expect(result.reasons).toContain('quantity × unit price ≠ amount on 1 line item(s)');
    expect(result.confidence).toBeLessThan(0.85);
  });

  it('never puts document text into reasons', () => {
    const result = run(invoice('$118.00'));
    expect(result.reasons.join(' ')).not.toMatch(/Northwind|A-1|108|118/);
  });
});
