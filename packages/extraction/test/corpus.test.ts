import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtractor } from '../src/index.js';
import type { Extractor } from '../src/index.js';
import { evaluateScans, evaluateText, mistakes, scanCorpus, summarise, textCorpus } from './corpus/corpus.js';
import type { ScannedCorpusDocument } from './corpus/corpus.js';
import type { Evaluated } from './corpus/corpus.js';

/**
 * A fast slice of the labelled corpus (scripts/bench-extraction.ts runs the full one, with scans):
 * text-layer PDFs in many layouts and locales, generated here from a fixed seed. The goals are the
 * product's: ≥ 97% field accuracy, line-item F1 ≥ 0.9, and fields reported at confidence ≥ 0.85
 * right at least 98% of the time.
 */
const SEED = 4242;
const COUNT = 40;

describe('labelled corpus: text-layer PDFs', () => {
  let extractor: Extractor;
  let evaluated: Evaluated[];

  beforeAll(async () => {
    extractor = createExtractor({ ocrWorkers: 1 });
    evaluated = await evaluateText(textCorpus(SEED, COUNT), (input) => extractor.extract(input));
  }, 120_000);

  afterAll(async () => {
    await extractor?.close();
  });

  const summary = () => summarise(evaluated.map((entry) => entry.score));
  const failures = (): string[] =>
    evaluated.flatMap(({ score }) => {
      const wrong = mistakes(score);
      return wrong.length > 0 ? [`${score.id} (${score.design}): ${wrong.join('; ')}`] : [];
    });

  it('covers invoices, bills and receipts in several locales', () => {
    const kinds = new Set(evaluated.map((entry) => entry.score.kind));
    const locales = new Set(evaluated.map((entry) => entry.score.locale));
    expect([...kinds].sort()).toEqual(['bill', 'invoice', 'receipt']);
    expect(locales.size).toBeGreaterThanOrEqual(6);
  });

  it('gets at least 97% of fields right', () => {
    expect(summary().accuracy, failures().join('\n')).toBeGreaterThanOrEqual(0.97);
  });

  it('gets every key field right at least 95% of the time', () => {
    const { fields } = summary();
    for (const name of ['vendorName', 'invoiceNumber', 'issueDate', 'currency', 'total'] as const) {
      expect(fields[name].accuracy, `${name}\n${failures().join('\n')}`).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('finds line items with F1 of at least 0.9', () => {
    expect(summary().lineItems.f1).toBeGreaterThanOrEqual(0.9);
  });

  it('is right at least 98% of the time about fields it reports with confidence ≥ 0.85', () => {
    const { calibration } = summary();
    expect(calibration.confident).toBeGreaterThan(COUNT * 3);
    expect(calibration.precision).toBeGreaterThanOrEqual(0.98);
  });

  it('sends documents with a wrong field to review', () => {
    const { routing } = summary();
    expect(routing.automatic).toBeGreaterThan(COUNT / 2);
    expect(routing.automaticAllCorrect / routing.automatic).toBeGreaterThanOrEqual(0.95);
  });

  it('never quotes document contents in reasons', () => {
    expect(evaluated.flatMap((entry) => entry.leaks)).toEqual([]);
  });
});

/**
 * A slice of the scan corpus: degraded renderings read by OCR (native tesseract where installed).
 * The goal for scans is ≥ 90% field accuracy; calibration must hold for scans too.
 */
const SCAN_COUNT = 12;

describe('labelled corpus: degraded scans', () => {
  let extractor: Extractor;
  let evaluated: Evaluated[];

  beforeAll(async () => {
    extractor = createExtractor({ ocrWorkers: 2 });
    const scans: ScannedCorpusDocument[] = [];
    for await (const scan of scanCorpus(SEED, SCAN_COUNT)) scans.push(scan);
    evaluated = await evaluateScans(scans, (input) => extractor.extract(input), 2);
  }, 240_000);

  afterAll(async () => {
    await extractor?.close();
  });

  it('gets at least 90% of fields right and is right about ≥ 98% of the fields it is confident in', () => {
    const summary = summarise(evaluated.map((entry) => entry.score));
    const wrong = evaluated.flatMap(({ score }) => mistakes(score).map((mistake) => `${score.id}: ${mistake}`)).join('\n');
    expect(summary.accuracy, wrong).toBeGreaterThanOrEqual(0.9);
    expect(summary.calibration.precision, wrong).toBeGreaterThanOrEqual(0.98);
  });
});
