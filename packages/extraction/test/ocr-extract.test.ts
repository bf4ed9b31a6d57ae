import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { PDFDocument } from 'pdf-lib';
import Tesseract from 'tesseract.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UnreadableDocumentError, createExtractor, extractDocument } from '../src/index.js';
import type { ExtractionInput, ExtractionResult, ExtractionStage, Extractor } from '../src/index.js';
import { NativeOcrEngine, probeNativeTesseract } from '../src/ocr/native.js';
import { OcrTimeoutError } from '../src/ocr/types.js';
import { degrade, EU_INVOICE, imageOnlyPdf, keyFieldErrors, longInvoice, multiPageTiff, pdfToPngs, UK_INVOICE } from './fixtures/ocr-scans.js';
import { SAMPLE_INVOICE, renderInvoicePdf } from './fixtures/render-invoice.js';
import type { InvoiceTruth } from './fixtures/render-invoice.js';

// Scans and photos made from generated invoices, degraded like real ones: slight rotation, blur,
// noise, gray paper, low resolution, faded print, JPEG compression.
const LONG_INVOICE = longInvoice(SAMPLE_INVOICE);
const files: Record<string, { input: ExtractionInput; truth: InvoiceTruth; pages: number }> = {};
const NATIVE = probeNativeTesseract() !== null;

beforeAll(async () => {
  const [us] = await pdfToPngs(await renderInvoicePdf(SAMPLE_INVOICE, { layout: 'us' }));
  const [uk] = await pdfToPngs(await renderInvoicePdf(UK_INVOICE, { layout: 'uk' }));
  const [eu] = await pdfToPngs(await renderInvoicePdf(EU_INVOICE, { layout: 'eu' }));
  const longPdf = await renderInvoicePdf(LONG_INVOICE, { layout: 'us', rowsPerPage: 4 });
  const longPages = await pdfToPngs(longPdf);
  if (!us || !uk || !eu || longPages.length !== 2) throw new Error('fixture rendering failed');

  const input = (bytes: Uint8Array, mimeType: string): ExtractionInput => ({ bytes, mimeType, kind: 'invoice' });
  // A scan rotated by 4° with grain, as PNG.
  const skewed = await (await degrade(us, { rotate: 4, blur: 0.5, noise: 15, seed: 1 })).png().toBuffer();
  files.png = { input: input(skewed, 'image/png'), truth: SAMPLE_INVOICE, pages: 1 };
  // A 100 dpi scan, as JPEG.
  const lowres = await (await degrade(uk, { scale: 0.67, blur: 0.5, noise: 10, seed: 2 })).jpeg({ quality: 70 }).toBuffer();
  files.jpeg = { input: input(lowres, 'image/jpeg'), truth: UK_INVOICE, pages: 1 };
  // Faded print on gray paper, as WebP (German invoice: umlauts, decimal commas, dotted dates).
  const faded = await (await degrade(eu, { ink: 0.3, paper: 245, noise: 6, blur: 0.4, seed: 3 })).webp({ quality: 80 }).toBuffer();
  files.webp = { input: input(faded, 'image/webp'), truth: EU_INVOICE, pages: 1 };
  // Two pages (items continue on page 2, where the totals are), lightly degraded.
  const scanned = await Promise.all(longPages.map(async (png, i) => (await degrade(png, { rotate: i ? -0.8 : 0.6, blur: 0.4, noise: 8, paper: 245, seed: 10 + i })).png().toBuffer()));
  files.tiff = { input: input(await multiPageTiff(scanned), 'image/tiff'), truth: LONG_INVOICE, pages: 2 };
  const jpegs = await Promise.all(longPages.map(async (png, i) => (await degrade(png, { rotate: i ? 0.5 : -0.5, blur: 0.4, noise: 8, seed: 20 + i })).jpeg({ quality: 75 }).toBuffer()));
  files.scannedPdf = { input: input(await imageOnlyPdf(jpegs, 'jpeg'), 'application/pdf'), truth: LONG_INVOICE, pages: 2 };
  // Page 1 keeps its text layer, page 2 is a scan.
  const mixed = await PDFDocument.load(longPdf);
  mixed.removePage(1);
  const scanPage = await PDFDocument.load(await imageOnlyPdf([scanned[1] ?? Buffer.alloc(0)], 'png'));
  const [copied] = await mixed.copyPages(scanPage, [0]);
  if (copied) mixed.addPage(copied);
  files.mixedPdf = { input: input(await mixed.save(), 'application/pdf'), truth: LONG_INVOICE, pages: 2 };
}, 60_000);

function file(name: string): { input: ExtractionInput; truth: InvoiceTruth; pages: number } {
  const found = files[name];
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

function expectKeyFields(result: ExtractionResult, truth: InvoiceTruth): void {
  expect(result.method).toBe('ocr');
  expect(keyFieldErrors(result.fields, truth)).toEqual([]);
  expect(result.reasons.some((reason) => /^OCR mean word confidence 0\.\d\d$/.test(reason))).toBe(true);
}

describe.runIf(NATIVE)('OCR with the native engine (tesseract CLI)', () => {
  let extractor: Extractor;
  beforeAll(() => {
    extractor = createExtractor({ engine: 'native', ocrWorkers: 2 });
  });
  afterAll(() => extractor.close());

  it('is the engine auto picks where tesseract is installed', () => {
    expect(extractor.engine).toBe('native');
    expect(createExtractor().engine).toBe('native');
  });

  for (const name of ['png', 'jpeg', 'webp', 'tiff', 'scannedPdf'] as const) {
    it(`reads the key fields from a ${name}`, async () => {
      const { input, truth, pages } = file(name);
      const result = await extractor.extract(input);
      expectKeyFields(result, truth);
      expect(result.pageCount).toBe(pages);
    });
  }

  it('reads line items across the pages of a scan and reconciles them', async () => {
    const result = await extractor.extract(file('tiff').input);
    expect(result.lineItems.map((item) => item.amount)).toEqual(LONG_INVOICE.lineItems.map((item) => item.amount));
    expect(result.reasons).toContain('line items sum to subtotal');
  });

  it('OCRs only the scanned page of a PDF whose other pages have text', async () => {
    const stages: ExtractionStage[] = [];
    const result = await extractor.extract({ ...file('mixedPdf').input, onProgress: (stage) => stages.push(stage) });
    expectKeyFields(result, LONG_INVOICE);
    expect(result.reasons).toContain('1 of 2 pages read by OCR');
    expect(stages[0]).toBe('reading');
    expect(stages.at(-1)).toBe('scoring');
  });

  it('kills tesseract when the extraction is aborted', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const pending = extractor.extract({ ...file('tiff').input, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('job cancelled')), 300);
    await expect(pending).rejects.toThrow('job cancelled');
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('gives up on a page that takes too long', async () => {
    const engine = new NativeOcrEngine(['eng'], 1);
    try {
      const gray = new Uint8Array(1000 * 1000).fill(255);
      const header = Buffer.from('P5\n1000 1000\n255\n');
      const image = { data: Buffer.concat([header, gray]), width: 1000, height: 1000, dpi: 150 };
      await expect(engine.recognize(image, { timeoutMs: 1 })).rejects.toBeInstanceOf(OcrTimeoutError);
    } finally {
      await engine.close();
    }
  });

  it('keeps extractDocument working (default extractor, OCR included)', async () => {
    const result = await extractDocument(file('png').input);
    expectKeyFields(result, SAMPLE_INVOICE);
    const limited = await extractDocument(file('tiff').input, { maxPages: 1 });
    expect(limited.reasons).toContain('only the first 1 of 2 pages read');
  });
});

describe('OCR with the WASM engine (tesseract.js)', () => {
  let extractor: Extractor;
  beforeAll(() => {
    extractor = createExtractor({ engine: 'wasm' });
  });
  afterAll(() => extractor.close());

  for (const name of ['png', 'scannedPdf'] as const) {
    it(`reads the key fields from a ${name}`, async () => {
      const { input, truth } = file(name);
      expectKeyFields(await extractor.extract(input), truth);
    });
  }

  it('reuses one pool of workers across extractions, replaces a worker after an abort, and close() ends them', async () => {
    const created = vi.spyOn(Tesseract, 'createWorker');
    const pool = createExtractor({ engine: 'wasm', ocrWorkers: 1 });
    try {
      expect(pool.engine).toBe('wasm');
      // No OCR needed, no worker started.
      await pool.extract({ bytes: await renderInvoicePdf(SAMPLE_INVOICE), mimeType: 'application/pdf', kind: 'invoice' });
      expect(created).toHaveBeenCalledTimes(0);

      await pool.extract(file('png').input);
      await pool.extract(file('jpeg').input);
      expect(created).toHaveBeenCalledTimes(1);
      const first = (await created.mock.results[0]?.value) as { worker: { on(event: 'exit', listener: () => void): void } };
      const firstExited = new Promise<void>((resolve) => first.worker.on('exit', resolve));

      // An abort mid-page terminates the busy worker (WASM cannot be interrupted otherwise)...
      const controller = new AbortController();
      const aborted = pool.extract({ ...file('png').input, signal: controller.signal });
      setTimeout(() => controller.abort(new Error('stop')), 400);
      await expect(aborted).rejects.toThrow('stop');
      await firstExited;
      // ...and the next page gets a fresh one.
      expectKeyFields(await pool.extract(file('png').input), SAMPLE_INVOICE);
      expect(created).toHaveBeenCalledTimes(2);

      const second = (await created.mock.results[1]?.value) as { worker: { on(event: 'exit', listener: () => void): void } };
      const secondExited = new Promise<void>((resolve) => second.worker.on('exit', resolve));
      await pool.close();
      await secondExited;
      await expect(pool.extract(file('png').input)).rejects.toThrow('closed');
    } finally {
      created.mockRestore();
      await pool.close();
    }
  });
});

describe('OCR never touches the network', () => {
  it('runs both engines with fetch, http, https and net replaced by throwing stubs', async () => {
    const attempts: string[] = [];
    const blocked = (name: string) => (): never => {
      attempts.push(name);
      throw new Error(`network access attempted: ${name}`);
    };
    const saved = { fetch: globalThis.fetch, httpRequest: http.request, httpGet: http.get, httpsRequest: https.request, httpsGet: https.get, connect: net.connect, createConnection: net.createConnection };
    globalThis.fetch = blocked('fetch') as typeof fetch;
    http.request = blocked('http.request') as typeof http.request;
    http.get = blocked('http.get') as typeof http.get;
    https.request = blocked('https.request') as typeof https.request;
    https.get = blocked('https.get') as typeof https.get;
    net.connect = blocked('net.connect') as typeof net.connect;
    net.createConnection = blocked('net.createConnection') as typeof net.createConnection;
    const engines = NATIVE ? (['wasm', 'native'] as const) : (['wasm'] as const);
    try {
      for (const engine of engines) {
        // A fresh extractor: worker start-up and language loading happen under the stubs too.
        const extractor = createExtractor({ engine });
        try {
          expectKeyFields(await extractor.extract(file('png').input), SAMPLE_INVOICE);
        } finally {
          await extractor.close();
        }
      }
    } finally {
      Object.assign(globalThis, { fetch: saved.fetch });
      Object.assign(http, { request: saved.httpRequest, get: saved.httpGet });
      Object.assign(https, { request: saved.httpsRequest, get: saved.httpsGet });
      Object.assign(net, { connect: saved.connect, createConnection: saved.createConnection });
    }
    expect(attempts).toEqual([]);
  });
});

describe('extractor options and errors', () => {
  it('rejects bad options and unavailable languages', () => {
    expect(() => createExtractor({ ocrWorkers: 0 })).toThrow(RangeError);
    expect(() => createExtractor({ maxPages: 0 })).toThrow(RangeError);
    expect(() => createExtractor({ languages: ['eng; rm -rf /'] })).toThrow(RangeError);
    expect(() => createExtractor({ engine: 'wasm', languages: ['jpn'] })).toThrow(/jpn/);
  });

  it('rejects images beyond the pixel limit and unsupported types', async () => {
    const extractor = createExtractor({ maxImagePixels: 1_000_000 });
    try {
      const error = await extractor.extract(file('png').input).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnreadableDocumentError);
      expect((error as UnreadableDocumentError).reason).toBe('too-large');
      await expect(extractor.extract({ ...file('png').input, mimeType: 'image/gif' })).rejects.toMatchObject({ reason: 'unsupported' });
    } finally {
      await extractor.close();
    }
  });

  it('returns nothing found, with confidence 0, for a blank scan', async () => {
    const extractor = createExtractor();
    try {
      const [blank] = await pdfToPngs(await (await PDFDocument.create()).addPage().doc.save());
      const result = await extractor.extract({ bytes: blank ?? Buffer.alloc(0), mimeType: 'image/png', kind: 'invoice' });
      expect(result.method).toBe('ocr');
      expect(result.confidence).toBe(0);
      expect(result.reasons).toContain('OCR found no words');
    } finally {
      await extractor.close();
    }
  });
});

describe('the tesseract.js worker bootstrap', () => {
  it('leaves the worker thread no way to the network', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { Worker } = await import('node:worker_threads');
    const { bootstrapSource } = await import('../src/ocr/wasm.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'ocr-bootstrap-'));
    // Stands in for tesseract.js's worker script: tries every way out and reports what happened.
    const script = path.join(dir, 'probe.cjs');
    writeFileSync(
      script,
      `const { parentPort } = require('node:worker_threads');
      (async () => {
        const results = [];
        try { await fetch('https://cdn.jsdelivr.net/npm/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz'); results.push('fetch reached the network'); } catch (e) { results.push(e.message); }
        for (const mod of ['node:http', 'node:https']) { try { require(mod).get('http://127.0.0.1:9/'); results.push(mod + ' reached the network'); } catch (e) { results.push(e.message); } }
        try { require('node:net').connect(9, '127.0.0.1'); results.push('net reached the network'); } catch (e) { results.push(e.message); }
        parentPort.postMessage(results);
      })();`,
    );
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrapSource(script))}`));
    try {
      const results = await new Promise<string[]>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(results).toEqual(Array(4).fill('network access is disabled in the OCR worker'));
    } finally {
      await worker.terminate();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
