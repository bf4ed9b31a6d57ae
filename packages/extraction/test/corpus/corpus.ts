import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExtractionInput, ExtractionResult } from '../../src/types.js';
import { generateDocument } from './generate.js';
import type { CorpusDocument } from './generate.js';
import { Random } from './random.js';
import { scanDocument } from './scan.js';
import type { ScannedDocument } from './scan.js';
import { scoreDocument } from './score.js';
import type { DocumentScore } from './score.js';

export type { CorpusDocument } from './generate.js';
export type { DocumentScore, Summary } from './score.js';
export { mistakes, summarise, FIELD_NAMES, REVIEW_THRESHOLD } from './score.js';

/** The seed of the published benchmark; tests use their own. */
export const BENCH_SEED = 20261125;

export type Extract = (input: ExtractionInput) => Promise<ExtractionResult>;

export function inputFor(document: CorpusDocument, bytes: Uint8Array, mimeType: string): ExtractionInput {
  // Receipts are uploaded as receipts; bills and invoices both as invoices (what the API's routes pass).
  return { bytes, mimeType, kind: document.kind === 'receipt' ? 'receipt' : document.kind === 'bill' ? 'bill' : 'invoice' };
}

/** The text-layer PDFs of the corpus, generated on the fly (deterministic for a seed). */
export async function* textCorpus(seed: number, count: number): AsyncGenerator<CorpusDocument> {
  for (let index = 0; index < count; index++) yield generateDocument(seed, index);
}

export interface ScannedCorpusDocument extends CorpusDocument {
  scan: ScannedDocument;
}

/**
 * Scans of the corpus: every `stride`-th document of the text corpus (so both halves share layouts),
 * rendered and degraded with a seed of its own.
 */
export async function* scanCorpus(seed: number, count: number, stride = 3): AsyncGenerator<ScannedCorpusDocument> {
  for (let n = 0; n < count; n++) {
    const index = n * stride;
    const document = await generateDocument(seed, index);
    const scan = await scanDocument(document.pdf, new Random(seed ^ Math.imul(index + 1, 0x27d4eb2d)), document.kind === 'receipt');
    yield { ...document, id: `${document.id}-scan`, scan };
  }
}

export interface Evaluated {
  score: DocumentScore;
  /** Wall time of extract() for this document. */
  wallMs: number;
  /** Document values that appear in the result's reasons (there must be none). */
  leaks: string[];
}

/** Truth values (names, numbers, amounts) that a reason quotes. */
function reasonLeaks(document: CorpusDocument, result: ExtractionResult): string[] {
  const { lineItems, ...fields } = document.truth;
  const values = [...Object.values(fields), ...lineItems.map((item) => item.description)].filter((value): value is string => value !== null && value.length >= 4);
  const reasons = result.reasons.join('\n');
  return values.filter((value) => reasons.includes(value));
}

/** Extracts and scores text-layer PDFs one at a time (so that timings are not shared). */
export async function evaluateText(documents: AsyncIterable<CorpusDocument>, extract: Extract): Promise<Evaluated[]> {
  const results: Evaluated[] = [];
  for await (const document of documents) {
    const started = performance.now();
    const result = await extract(inputFor(document, document.pdf, 'application/pdf'));
    const wallMs = performance.now() - started;
    results.push({ score: scoreDocument(document, result), wallMs, leaks: reasonLeaks(document, result) });
  }
  return results;
}

/** Extracts and scores scans with `concurrency` documents in flight (one per OCR worker). */
export async function evaluateScans(documents: ScannedCorpusDocument[], extract: Extract, concurrency: number): Promise<Evaluated[]> {
  const results: Evaluated[] = new Array<Evaluated>(documents.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < documents.length) {
      const at = next++;
      const document = documents[at] as ScannedCorpusDocument;
      const started = performance.now();
      const result = await extract(inputFor(document, document.scan.bytes, document.scan.mimeType));
      const wallMs = performance.now() - started;
      results[at] = { score: scoreDocument(document, result), wallMs, leaks: reasonLeaks(document, result) };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return results;
}

/** Writes a document and its truth (and scan) side by side, for people to look at. */
export async function writeCorpusDocument(directory: string, document: CorpusDocument | ScannedCorpusDocument): Promise<void> {
  await mkdir(directory, { recursive: true });
  const base = path.join(directory, document.id);
  const scan = 'scan' in document ? document.scan : null;
  const extension = scan ? { 'image/png': 'png', 'image/jpeg': 'jpg', 'application/pdf': 'pdf' }[scan.mimeType] : 'pdf';
  await writeFile(`${base}.${extension}`, scan ? scan.bytes : document.pdf);
  const meta = { id: document.id, kind: document.kind, locale: document.locale, design: document.design, ...(scan ? { degradation: scan.degradation } : {}), truth: document.truth };
  await writeFile(`${base}.json`, `${JSON.stringify(meta, null, 2)}\n`);
}
