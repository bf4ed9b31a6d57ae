import { renderInvoicePdf, type InvoiceTruth } from '@billflow/extraction/testing';

export const acmeInvoice: InvoiceTruth = {
  vendorName: 'ACME Supplies Inc.',
  customerName: 'Demo Company Ltd',
  invoiceNumber: 'INV-2026-0042',
  issueDate: '2026-11-02',
  dueDate: '2026-12-02',
  currency: 'USD',
  subtotal: '1250.00',
  discount: null,
  shipping: null,
  tax: '103.13',
  total: '1353.13',
  lineItems: [
    { description: 'Office chairs', quantity: '5', unitPrice: '150.00', amount: '750.00' },
    { description: 'Standing desk', quantity: '1', unitPrice: '500.00', amount: '500.00' },
  ],
};

/** A text-layer invoice PDF; `invoiceNumber` varies it so each test gets a file of its own. */
export async function invoicePdf(invoiceNumber: string, truth: Partial<InvoiceTruth> = {}): Promise<Buffer> {
  return Buffer.from(await renderInvoicePdf({ ...acmeInvoice, ...truth, invoiceNumber }, { layout: 'us' }));
}
