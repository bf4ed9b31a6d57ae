import { PDFDocument, PDFHexString, StandardFonts, degrees, rgb } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { UnreadableDocumentError, extractDocument } from '../src/index.js';
import type { ExtractionInput, ExtractionResult, ExtractionStage } from '../src/index.js';
import { SAMPLE_INVOICE, renderInvoicePdf } from './fixtures/render-invoice.js';
import type { InvoiceTruth } from './fixtures/render-invoice.js';

const pdf = (bytes: Uint8Array, extra: Partial<ExtractionInput> = {}): ExtractionInput => ({ bytes, mimeType: 'application/pdf', kind: 'invoice', ...extra });

function expectTruth(result: ExtractionResult, truth: InvoiceTruth): void {
  const { lineItems, ...fields } = truth;
  expect(Object.fromEntries(Object.entries(result.fields).map(([name, field]) => [name, field.value]))).toEqual(fields);
  expect(result.lineItems.map(({ confidence: _, ...item }) => item)).toEqual(lineItems);
}

/** Sums in cents so the truth is exact. */
function withTotals(base: Omit<InvoiceTruth, 'subtotal' | 'total'>, taxRate: number): InvoiceTruth {
  const cents = (value: string | null): number => Math.round(Number(value ?? '0') * 100);
  const subtotal = base.lineItems.reduce((sum, item) => sum + cents(item.amount), 0);
  const tax = Math.round((subtotal - cents(base.discount)) * taxRate);
  const total = subtotal - cents(base.discount) + cents(base.shipping) + tax;
  return { ...base, subtotal: (subtotal / 100).toFixed(2), tax: (tax / 100).toFixed(2), total: (total / 100).toFixed(2) };
}

async function blankPdf(pages = 1, draw = false): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage();
    if (draw) page.drawRectangle({ x: 50, y: 50, width: 200, height: 100, color: rgb(0.2, 0.2, 0.2) });
  }
  return doc.save();
}

describe('extractDocument on text PDFs', () => {
  it('reads a US invoice with a line-item table', async () => {
    const result = await extractDocument(pdf(await renderInvoicePdf(SAMPLE_INVOICE, { layout: 'us' })));
    expect(result.method).toBe('pdf-text');
    expect(result.pageCount).toBe(1);
    expectTruth(result, SAMPLE_INVOICE);
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
    expect(result.reasons).toContain('totals reconcile: subtotal − discount + shipping + tax = total');
  });

  it('reads a UK VAT invoice with day-first dates', async () => {
    const truth = withTotals(
      {
        vendorName: 'Brightwell Stationers Ltd',
        customerName: 'Harbour Dental Practice',
        invoiceNumber: 'BS/2026/118',
        issueDate: '2026-04-03',
        dueDate: '2026-05-03',
        currency: 'GBP',
        discount: null,
        shipping: '7.50',
        tax: null,
        lineItems: [
          { description: 'A4 copier paper, 5 reams', quantity: '12', unitPrice: '21.99', amount: '263.88' },
          { description: 'Toner cartridge', quantity: '2', unitPrice: '89.00', amount: '178.00' },
        ],
      },
      0.2,
    );
    const result = await extractDocument(pdf(await renderInvoicePdf(truth, { layout: 'uk' })));
    expectTruth(result, truth);
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('reads an invoice with labels above values and decimal commas', async () => {
    const truth = withTotals(
      {
        vendorName: 'Fabrikam Consulting GmbH',
        customerName: 'Tailspin Toys B.V.',
        invoiceNumber: 'RE-2026-0815',
        issueDate: '2026-06-09',
        dueDate: '2026-07-09',
        currency: 'EUR',
        discount: '100.00',
        shipping: null,
        tax: null,
        lineItems: [
          { description: 'Workshop facilitation', quantity: '3', unitPrice: '1450.00', amount: '4350.00' },
          { description: 'Travel expenses', quantity: '1', unitPrice: '312.40', amount: '312.40' },
        ],
      },
      0.19,
    );
    const result = await extractDocument(pdf(await renderInvoicePdf(truth, { layout: 'eu' })));
    expectTruth(result, truth);
  });

  it('reads an Indian GST invoice with CGST and SGST lines', async () => {
    const truth = withTotals(
      {
        vendorName: 'Sharma Electronics Pvt Ltd',
        customerName: 'Kaveri Traders',
        invoiceNumber: 'SE/24-25/0931',
        issueDate: '2026-11-22',
        dueDate: '2026-12-07',
        currency: 'INR',
        discount: null,
        shipping: '500.00',
        tax: null,
        lineItems: [
          { description: 'LED monitor 24 inch', quantity: '10', unitPrice: '11250.00', amount: '112500.00' },
          { description: 'HDMI cable', quantity: '10', unitPrice: '349.00', amount: '3490.00' },
        ],
      },
      0.18,
    );
    const result = await extractDocument(pdf(await renderInvoicePdf(truth, { layout: 'india' })));
    expectTruth(result, truth);
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('reads a minimal bill without line items, and does not claim high confidence', async () => {
    const truth: InvoiceTruth = {
      vendorName: 'City Water Utility',
      customerName: 'J. Alvarez',
      invoiceNumber: '88213-07',
      issueDate: '2026-11-22',
      dueDate: '2026-12-15',
      currency: 'USD',
      subtotal: null,
      discount: null,
      shipping: null,
      tax: null,
      total: '64.18',
      lineItems: [],
    };
    const result = await extractDocument(pdf(await renderInvoicePdf(truth, { layout: 'minimal' })));
    expectTruth(result, truth);
    expect(result.confidence).toBeLessThan(0.85);
    expect(result.reasons).toContain('totals could not be cross-checked');
  });

  it('reads a multi-page invoice whose table continues and totals sit on page 2', async () => {
    const truth = withTotals(
      {
        ...SAMPLE_INVOICE,
        discount: null,
        shipping: null,
        lineItems: Array.from({ length: 24 }, (_, i) => ({
          description: `Part ${String.fromCharCode(65 + i)}-${100 + i}`,
          quantity: String(i + 1),
          unitPrice: `${i + 2}.25`,
          amount: ((i + 1) * (i + 2.25)).toFixed(2),
        })),
      },
      0.0825,
    );
    const result = await extractDocument(pdf(await renderInvoicePdf(truth, { layout: 'us', rowsPerPage: 15 })));
    expect(result.pageCount).toBe(2);
    expectTruth(result, truth);
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('reads a page stored rotated (/Rotate 90) whose text is upright when displayed', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([612, 792]);
    page.setRotation(degrees(90));
    // On a page turned clockwise for display, text drawn at 90° reads left to right; rows run along x.
    const rows = ['Invoice #: R-77', 'Date: 2026-08-01', 'Subtotal $50.00', 'Tax $5.00', 'Total $55.00'];
    rows.forEach((text, i) => page.drawText(text, { x: 100 + i * 20, y: 100, size: 12, font, rotate: degrees(90) }));
    const result = await extractDocument(pdf(await doc.save()));
    expect(result.fields).toMatchObject({ invoiceNumber: { value: 'R-77' }, issueDate: { value: '2026-08-01' }, total: { value: '55.00' } });
    expect(result.reasons).toContain('totals reconcile: subtotal + tax = total');
  });

  it('reports progress through reading, parsing and scoring', async () => {
    const stages: [ExtractionStage, number][] = [];
    await extractDocument(pdf(await renderInvoicePdf(SAMPLE_INVOICE), { onProgress: (stage, percent) => stages.push([stage, percent]) }));
    expect(stages[0]).toEqual(['reading', 0]);
    expect(stages.map(([stage]) => stage)).toEqual(expect.arrayContaining(['reading', 'parsing', 'scoring']));
    expect(stages.at(-1)).toEqual(['scoring', 100]);
    expect(stages.map(([, percent]) => percent)).toEqual([...stages.map(([, percent]) => percent)].sort((a, b) => a - b));
  });

  it('leaves the caller’s bytes intact', async () => {
    const bytes = await renderInvoicePdf(SAMPLE_INVOICE);
    const length = bytes.byteLength;
    await extractDocument(pdf(bytes));
    expect(bytes.byteLength).toBe(length);
  });

  it('accepts a Node Buffer, as read from storage', async () => {
    const result = await extractDocument(pdf(Buffer.from(await renderInvoicePdf(SAMPLE_INVOICE))));
    expect(result.fields.total.value).toBe(SAMPLE_INVOICE.total);
  });

  it('reads at most maxPages pages and says so', async () => {
    const result = await extractDocument(pdf(await renderInvoicePdf(SAMPLE_INVOICE, { rowsPerPage: 1 })), { maxPages: 1 });
    expect(result.pageCount).toBe(3);
    expect(result.reasons).toContain('only the first 1 of 3 pages read');
    expect(result.fields.total.value).toBeNull();
  });
});

describe('extractDocument without a text layer', () => {
  // Scans and photos are read by OCR: see ocr-extract.test.ts.
  it('OCRs a PDF with only drawings and finds nothing', async () => {
    const result = await extractDocument(pdf(await blankPdf(2, true)));
    expect(result).toMatchObject({ method: 'ocr', pageCount: 2, confidence: 0, lineItems: [] });
    expect(result.reasons).toContain('OCR found no words');
    expect(Object.values(result.fields).every((field) => field.value === null && field.confidence === 0)).toBe(true);
  });

  it.each(['image/png', 'image/jpeg', 'image/tiff', 'image/webp'])('rejects an image of %s that is only a header as corrupt', async (mimeType) => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const error = await extractDocument({ bytes: png, mimeType, kind: 'receipt' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnreadableDocumentError);
    expect((error as UnreadableDocumentError).reason).toBe('corrupt');
  });
});

describe('extractDocument on unreadable input', () => {
  const reasonOf = async (input: ExtractionInput): Promise<string> => {
    const error: unknown = await extractDocument(input).then(
      () => null,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(UnreadableDocumentError);
    return (error as UnreadableDocumentError).reason;
  };

  it('rejects a truncated PDF as corrupt', async () => {
    const bytes = await renderInvoicePdf(SAMPLE_INVOICE);
    expect(await reasonOf(pdf(bytes.slice(0, Math.floor(bytes.length * 0.6))))).toBe('corrupt');
  });

  it('rejects random bytes behind a PDF header as corrupt', async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    bytes.set(new TextEncoder().encode('%PDF-1.7\n'));
    expect(await reasonOf(pdf(bytes))).toBe('corrupt');
  });

  it('rejects an empty file as corrupt', async () => {
    expect(await reasonOf(pdf(new Uint8Array()))).toBe('corrupt');
  });

  it('rejects a password-protected PDF as encrypted', async () => {
    const doc = await PDFDocument.create();
    doc.addPage().drawText('secret', { x: 50, y: 700, font: await doc.embedFont(StandardFonts.Helvetica) });
    // A standard security handler whose user password is not empty (the O/U values match no password).
    const encrypt = doc.context.obj({ Filter: 'Standard', V: 1, R: 2, Length: 40, P: -4, O: PDFHexString.of('11'.repeat(32)), U: PDFHexString.of('22'.repeat(32)) });
    doc.context.trailerInfo.Encrypt = doc.context.register(encrypt);
    doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of('ab'.repeat(16)), PDFHexString.of('ab'.repeat(16))]);
    expect(await reasonOf(pdf(await doc.save({ useObjectStreams: false })))).toBe('encrypted');
  });

  it('rejects other document types as unsupported', async () => {
    expect(await reasonOf({ bytes: new TextEncoder().encode('a,b\n1,2'), mimeType: 'text/csv', kind: 'bill' })).toBe('unsupported');
  });
});

describe('extractDocument aborts', () => {
  it('rejects with the reason of an already aborted signal', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(extractDocument(pdf(await renderInvoicePdf(SAMPLE_INVOICE), { signal: controller.signal }))).rejects.toBe(reason);
  });

  it('stops between pages when the signal aborts while reading', async () => {
    const controller = new AbortController();
    const bytes = await renderInvoicePdf(SAMPLE_INVOICE, { rowsPerPage: 1 });
    const stages: number[] = [];
    const extraction = extractDocument(
      pdf(bytes, {
        signal: controller.signal,
        onProgress: (stage, percent) => {
          stages.push(percent);
          if (stage === 'reading' && percent > 0) controller.abort();
        },
      }),
    );
    await expect(extraction).rejects.toMatchObject({ name: 'AbortError' });
    expect(stages).not.toContain(100);
  });
});
