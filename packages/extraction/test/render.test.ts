import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { UnreadableDocumentError } from '../src/errors.js';
import { openPdfRenderer } from '../src/render/pdf-render.js';
import { SAMPLE_INVOICE, renderInvoicePdf } from './fixtures/render-invoice.js';

describe('rendering PDF pages', () => {
  it('renders a letter page at 150 dpi with the text drawn', async () => {
    const renderer = await openPdfRenderer(await renderInvoicePdf(SAMPLE_INVOICE, { layout: 'us' }), { maxImagePixels: 50_000_000 });
    try {
      expect(renderer.numPages).toBe(1);
      const page = await renderer.renderPage(1);
      expect([page.width, page.height, page.dpi]).toEqual([1275, 1650, 150]);
      expect(page.rgba.length).toBe(1275 * 1650 * 4);
      let dark = 0;
      for (let i = 0; i < page.rgba.length; i += 4) if ((page.rgba[i] ?? 255) < 100) dark++;
      // Text covers a few percent of an invoice page; a blank render would have none.
      expect(dark / (1275 * 1650)).toBeGreaterThan(0.005);
    } finally {
      await renderer.close();
    }
  });

  it('renders poster-sized pages at a lower resolution instead of allocating a huge canvas', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([14_400, 14_400]); // 200 × 200 inches: 900 megapixels at 150 dpi
    const renderer = await openPdfRenderer(await doc.save(), { maxImagePixels: 50_000_000 });
    try {
      const page = await renderer.renderPage(1);
      expect(page.width * page.height).toBeLessThanOrEqual(9_000_000);
      expect(page.dpi).toBeLessThan(15);
    } finally {
      await renderer.close();
    }
  });

  it('stops on an aborted signal', async () => {
    const renderer = await openPdfRenderer(await renderInvoicePdf(SAMPLE_INVOICE), { maxImagePixels: 50_000_000 });
    try {
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      await expect(renderer.renderPage(1, controller.signal)).rejects.toThrow('stop');
    } finally {
      await renderer.close();
    }
  });

  it('reports a corrupt PDF', async () => {
    const error = await openPdfRenderer(new TextEncoder().encode('%PDF-1.7\nnonsense'), { maxImagePixels: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnreadableDocumentError);
    expect((error as UnreadableDocumentError).reason).toBe('corrupt');
  });
});
