import { analyse } from './analyse.js';
import { UnreadableDocumentError } from './errors.js';
import { readPdfText } from './pdf-text.js';
import type { ExtractedFields, ExtractionInput, ExtractionMethod, ExtractionOptions, ExtractionResult } from './types.js';

const DEFAULT_MAX_PAGES = 50;
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/tiff', 'image/webp']);
/** A text layer with fewer letters and digits than this is a scan with a stray watermark or page number. */
const MIN_TEXT_CHARS = 20;
const NO_TEXT_REASON = 'no text layer; OCR not available';

/**
 * Extracts invoice fields from the text layer of a PDF. Images and PDFs without text come back
 * empty with confidence 0 (no OCR yet). Rejects with UnreadableDocumentError for corrupt,
 * password-protected or unsupported files, and with the signal's reason when aborted.
 */
export async function extractDocument(input: ExtractionInput, options: ExtractionOptions = {}): Promise<ExtractionResult> {
  const started = performance.now();
  const { signal, onProgress } = input;
  signal?.throwIfAborted();
  onProgress?.('reading', 0);

  if (IMAGE_TYPES.has(input.mimeType)) return withoutText('none', 1, started, input);
  if (input.mimeType !== 'application/pdf') {
    throw new UnreadableDocumentError(`unsupported document type ${input.mimeType}`, 'unsupported');
  }

  const pdf = await readPdfText(input.bytes, {
    maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
    signal,
    onPage: (done, total) => onProgress?.('reading', Math.round((done / total) * 70)),
  });
  const textChars = pdf.lines.reduce((count, line) => count + (line.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0), 0);
  if (textChars < MIN_TEXT_CHARS) return withoutText('pdf-text', pdf.pageCount, started, input);

  onProgress?.('parsing', 70);
  const scored = analyse(pdf.lines);
  if (pdf.pagesRead < pdf.pageCount) scored.reasons.push(`only the first ${pdf.pagesRead} of ${pdf.pageCount} pages read`);
  onProgress?.('scoring', 100);
  return { method: 'pdf-text', pageCount: pdf.pageCount, ...scored, durationMs: elapsed(started) };
}

function withoutText(method: ExtractionMethod, pageCount: number, started: number, input: ExtractionInput): ExtractionResult {
  input.onProgress?.('scoring', 100);
  return {
    method,
    pageCount,
    fields: emptyFields(),
    lineItems: [],
    confidence: 0,
    reasons: [NO_TEXT_REASON],
    durationMs: elapsed(started),
  };
}

function emptyFields(): ExtractedFields {
  const empty = () => ({ value: null, confidence: 0 });
  return {
    vendorName: empty(),
    customerName: empty(),
    invoiceNumber: empty(),
    issueDate: empty(),
    dueDate: empty(),
    currency: empty(),
    subtotal: empty(),
    discount: empty(),
    shipping: empty(),
    tax: empty(),
    total: empty(),
  };
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
