import { analyse } from './analyse.js';
import { UnreadableDocumentError } from './errors.js';
import { inspectImage, isBlank, prepareImagePage, prepareRenderedPage } from './image/prepare.js';
import type { Line } from './layout.js';
import { applyOcrConfidence } from './ocr/confidence.js';
import { meanWordConfidence, ocrPageToLines } from './ocr/lines.js';
import type { OcrPageText, PlacedWord } from './ocr/lines.js';
import { NativeOcrEngine, probeNativeTesseract } from './ocr/native.js';
import { OcrTimeoutError } from './ocr/types.js';
import type { OcrEngine, OcrEngineKind, OcrImage } from './ocr/types.js';
import { WasmOcrEngine, wasmLanguageDir } from './ocr/wasm.js';
import { checkInflatedSize } from './pdf-streams.js';
import { readPdfText } from './pdf-text.js';
import { openPdfRenderer } from './render/pdf-render.js';
import type {
  ExtractionInput,
  ExtractionMethod,
  ExtractionOptions,
  ExtractionResult,
  Extractor,
  ExtractorOptions,
} from './types.js';

const DEFAULT_MAX_PAGES = 50;
const DEFAULT_MAX_IMAGE_PIXELS = 50_000_000;
const DEFAULT_LANGUAGES = ['eng', 'deu', 'fra'];
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/tiff', 'image/webp']);
/** A text layer with fewer letters and digits than this is a scan with a stray watermark or page number. */
const MIN_TEXT_CHARS = 20;
/** A PDF page with fewer letters and digits than this in its text layer is rendered and OCR'd. */
const MIN_PAGE_TEXT_CHARS = 20;
/** One page that takes longer than this to OCR is a hostile or pathological image (a normal page takes ~1 s). */
const OCR_PAGE_TIMEOUT_MS = 60_000;
/** Share of the progress percentage spent reading pages (the rest is parsing and scoring). */
const READING_PERCENT = 70;

interface Limits {
  maxPages: number;
  maxImagePixels: number;
}

/**
 * Creates an extractor that owns one OCR pool for the life of the process: `ocrWorkers` tesseract
 * processes at a time (native) or tesseract.js workers (wasm), created on the first document that
 * needs OCR and shared by every extraction after it. Call close() on shutdown.
 *
 * The engine is decided now: 'auto' takes the tesseract CLI when `tesseract --version` runs and
 * lists every requested language, tesseract.js otherwise. Throws when the requested engine or a
 * language is not available.
 */
export function createExtractor(options: ExtractorOptions = {}): Extractor {
  return buildExtractor(options).extractor;
}

interface BuiltExtractor {
  extractor: Extractor;
  /** extract() with a different page limit, on the same pool. */
  extractWithMaxPages(input: ExtractionInput, maxPages: number): Promise<ExtractionResult>;
}

function buildExtractor(options: ExtractorOptions): BuiltExtractor {
  const ocrWorkers = options.ocrWorkers ?? 1;
  if (!Number.isInteger(ocrWorkers) || ocrWorkers < 1) throw new RangeError(`ocrWorkers must be a positive integer, got ${ocrWorkers}`);
  const languages = options.languages ?? DEFAULT_LANGUAGES;
  if (languages.length === 0 || languages.some((language) => !/^[a-z_]{3,16}$/i.test(language))) {
    throw new RangeError(`invalid OCR languages ${JSON.stringify(languages)}`);
  }
  const limits: Limits = {
    maxPages: positive('maxPages', options.maxPages ?? DEFAULT_MAX_PAGES),
    maxImagePixels: positive('maxImagePixels', options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS),
  };
  const kind = chooseEngine(options.engine ?? 'auto', languages);

  let pool: OcrEngine | null = null;
  let closed = false;
  const ocr = (): OcrEngine => {
    if (closed) throw new Error('extractor is closed');
    pool ??= kind === 'native' ? new NativeOcrEngine(languages, ocrWorkers) : new WasmOcrEngine(languages, ocrWorkers);
    return pool;
  };

  const run = async (input: ExtractionInput, runLimits: Limits): Promise<ExtractionResult> => {
    if (closed) throw new Error('extractor is closed');
    const { result, lines } = await extractWith(input, runLimits, ocr, ocrWorkers);
    if (!options.refine || lines.length === 0) return result;
    // The model sees the page text only, never the image bytes; it keeps the local result when it fails.
    const refined = await options.refine({ text: lines.map((line) => line.text).join('\n'), local: result, signal: input.signal });
    return refined.result;
  };
  return {
    extractor: {
      get engine() {
        return kind;
      },
      extract: (input) => run(input, limits),
      async close() {
        closed = true;
        await pool?.close();
        pool = null;
      },
    },
    extractWithMaxPages: (input, maxPages) => run(input, { ...limits, maxPages: positive('maxPages', maxPages) }),
  };
}

let defaultExtractor: BuiltExtractor | null = null;

/**
 * Extracts with a process-wide extractor (engine from OCR_ENGINE, one OCR worker), created on first
 * use: the one-call entry point for scripts and tests. A service creates its own extractor with
 * createExtractor() so that it controls the pool size and closes it on shutdown.
 */
export async function extractDocument(input: ExtractionInput, options: ExtractionOptions = {}): Promise<ExtractionResult> {
  if (!defaultExtractor) {
    const engine = process.env.OCR_ENGINE;
    defaultExtractor = buildExtractor({ engine: engine === 'native' || engine === 'wasm' ? engine : 'auto' });
  }
  if (options.maxPages === undefined) return defaultExtractor.extractor.extract(input);
  return defaultExtractor.extractWithMaxPages(input, options.maxPages);
}

function chooseEngine(requested: 'auto' | 'native' | 'wasm', languages: string[]): OcrEngineKind {
  if (requested !== 'wasm') {
    const native = probeNativeTesseract();
    const missing = native ? languages.filter((language) => !native.languages.includes(language)) : languages;
    if (native && missing.length === 0) return 'native';
    if (requested === 'native') {
      throw new Error(native ? `tesseract lacks the languages ${missing.join(', ')}` : 'OCR engine "native" requested but `tesseract --version` does not run');
    }
  }
  const missing = languages.filter((language) => wasmLanguageDir(language) === null);
  if (missing.length > 0) throw new Error(`no tesseract.js language data for ${missing.join(', ')} (@tesseract.js-data/<lang>)`);
  return 'wasm';
}

/** The result and the text lines it was read from (what a model provider gets). */
interface Extracted {
  result: ExtractionResult;
  lines: Line[];
}

async function extractWith(input: ExtractionInput, limits: Limits, ocr: () => OcrEngine, window: number): Promise<Extracted> {
  const started = performance.now();
  const { signal, onProgress } = input;
  signal?.throwIfAborted();
  onProgress?.('reading', 0);

  if (IMAGE_TYPES.has(input.mimeType)) {
    const info = await inspectImage(input.bytes, { maxPixels: limits.maxImagePixels, maxPages: limits.maxPages });
    const pages = await ocrPages(
      info.pagesToRead,
      (index) => prepareImagePage(input.bytes, index, { maxPixels: limits.maxImagePixels, maxPages: limits.maxPages }),
      ocr,
      window + 1,
      input,
    );
    const lines = pages.flatMap((page) => page?.lines ?? []);
    const result = finish(lines, pages, started, input, 'ocr', info.pageCount);
    if (info.pagesToRead < info.pageCount) result.reasons.push(`only the first ${info.pagesToRead} of ${info.pageCount} pages read`);
    return { result, lines };
  }
  if (input.mimeType !== 'application/pdf') {
    throw new UnreadableDocumentError(`unsupported document type ${input.mimeType}`, 'unsupported');
  }

  await checkInflatedSize(input.bytes);
  signal?.throwIfAborted();
  const pdf = await readPdfText(input.bytes, {
    maxPages: limits.maxPages,
    signal,
    onPage: (done, total) => onProgress?.('reading', Math.round((done / total) * 10)),
  });
  const charsByPage = new Map<number, number>();
  for (const line of pdf.lines) charsByPage.set(line.page, (charsByPage.get(line.page) ?? 0) + countChars(line.text));
  const textChars = [...charsByPage.values()].reduce((a, b) => a + b, 0);
  // Whole document without text: every page is a scan. Otherwise only the pages without text.
  const scanned: number[] = [];
  for (let page = 1; page <= pdf.pagesRead; page++) {
    if (textChars < MIN_TEXT_CHARS || (charsByPage.get(page) ?? 0) < MIN_PAGE_TEXT_CHARS) scanned.push(page);
  }

  let ocrPagesText: (OcrPageText | null)[] = [];
  if (scanned.length > 0) {
    const renderer = await openPdfRenderer(input.bytes, { maxImagePixels: limits.maxImagePixels, signal });
    try {
      ocrPagesText = await ocrPages(
        scanned.length,
        async (index) => {
          const page = await renderer.renderPage(scanned[index] ?? 1, signal);
          return prepareRenderedPage(page.rgba, page.width, page.height, page.dpi);
        },
        ocr,
        window + 1,
        input,
        (index) => scanned[index] ?? 1,
      );
    } finally {
      await renderer.close();
    }
  }

  const ocrByPage = new Map(scanned.map((page, i) => [page, ocrPagesText[i]]));
  const lines: Line[] = [];
  for (let page = 1; page <= pdf.pagesRead; page++) {
    // A page read by OCR replaces its few text-layer items (a page number, a stamp) entirely.
    if (ocrByPage.has(page)) lines.push(...(ocrByPage.get(page)?.lines ?? []));
    else lines.push(...pdf.lines.filter((line) => line.page === page));
  }
  const method: ExtractionMethod = scanned.length > 0 ? 'ocr' : 'pdf-text';
  const result = finish(lines, scanned.length > 0 ? ocrPagesText : null, started, input, method, pdf.pageCount);
  if (scanned.length > 0 && scanned.length < pdf.pagesRead) result.reasons.push(`${scanned.length} of ${pdf.pagesRead} pages read by OCR`);
  if (pdf.pagesRead < pdf.pageCount) result.reasons.push(`only the first ${pdf.pagesRead} of ${pdf.pageCount} pages read`);
  return { result, lines };
}

/**
 * Prepares pages one after another and OCRs them in the pool, keeping at most `window` pages in
 * flight (so the next page is rendered while the engine reads this one, and memory stays bounded).
 * Blank pages are skipped. On any failure the remaining OCR of this document is cancelled.
 */
async function ocrPages(
  count: number,
  prepare: (index: number) => Promise<OcrImage>,
  ocr: () => OcrEngine,
  window: number,
  input: ExtractionInput,
  pageNumber: (index: number) => number = (index) => index + 1,
): Promise<(OcrPageText | null)[]> {
  const controller = new AbortController();
  const signal = input.signal ? AbortSignal.any([input.signal, controller.signal]) : controller.signal;
  const results: (OcrPageText | null)[] = new Array<OcrPageText | null>(count).fill(null);
  const inFlight: Promise<void>[] = [];
  let done = 0;
  const progress = (): void => input.onProgress?.('reading', 10 + Math.round((++done / count) * (READING_PERCENT - 10)));
  try {
    for (let index = 0; index < count; index++) {
      signal.throwIfAborted();
      const image = await prepare(index);
      signal.throwIfAborted();
      if (isBlank(image)) {
        progress();
        continue;
      }
      const task = ocr()
        .recognize(image, { signal, timeoutMs: OCR_PAGE_TIMEOUT_MS })
        .then((page) => {
          results[index] = ocrPageToLines(page, pageNumber(index));
          progress();
        });
      // Observed below; this only keeps a failure from counting as unhandled in the meantime.
      task.catch(() => {});
      inFlight.push(task);
      if (inFlight.length >= window) await inFlight.shift();
    }
    await Promise.all(inFlight);
    return results;
  } catch (error) {
    controller.abort(error);
    await Promise.allSettled(inFlight);
    input.signal?.throwIfAborted();
    if (error instanceof OcrTimeoutError) throw new UnreadableDocumentError(error.message, 'too-large', { cause: error });
    throw error;
  }
}

function finish(
  lines: Line[],
  ocrPagesText: (OcrPageText | null)[] | null,
  started: number,
  input: ExtractionInput,
  method: ExtractionMethod,
  pageCount: number,
): ExtractionResult {
  input.onProgress?.('parsing', READING_PERCENT);
  let scored = analyse(lines, { kind: input.kind });
  if (ocrPagesText) {
    const words: PlacedWord[] = ocrPagesText.flatMap((page) => page?.words ?? []);
    scored = applyOcrConfidence(scored, { words, meanConfidence: meanWordConfidence(words) });
  }
  input.onProgress?.('scoring', 100);
  return { method, pageCount, ...scored, durationMs: Math.round(performance.now() - started) };
}

function countChars(text: string): number {
  return text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
