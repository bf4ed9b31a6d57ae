/** An image ready for OCR: 8-bit grayscale, encoded as PGM (binary PNM), which both engines read. */
export interface OcrImage {
  /** PGM bytes: "P5\n<width> <height>\n255\n" followed by width × height gray bytes. */
  data: Uint8Array;
  width: number;
  height: number;
  /** Pixels per inch the engine should assume; page units (points) are pixels × 72 / dpi. */
  dpi: number;
}

/** One word found by OCR, in image pixels (top-left origin). */
export interface OcrWord {
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
  /** The engine's confidence in the word, 0-1. */
  confidence: number;
}

/** A text line as the engine's layout analysis found it (hOCR ocr_line and its kin). */
export interface OcrLine {
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** Baseline: y = bottom + offset + slope × (x − left), in pixels. */
  slope: number;
  offset: number;
  /** The engine's estimate of the line's font size (hOCR x_size), in pixels. */
  xSize: number;
  words: OcrWord[];
}

export interface OcrPageResult {
  lines: OcrLine[];
  width: number;
  height: number;
  dpi: number;
}

export type OcrEngineKind = 'native' | 'wasm';

export interface RecognizeOptions {
  signal?: AbortSignal | undefined;
  /** Rejects with OcrTimeoutError when one page takes longer than this. */
  timeoutMs: number;
}

/** A long-lived OCR engine: a bounded pool of tesseract processes or tesseract.js workers. */
export interface OcrEngine {
  readonly kind: OcrEngineKind;
  recognize(image: OcrImage, options: RecognizeOptions): Promise<OcrPageResult>;
  close(): Promise<void>;
}

/** One page took longer than the per-page limit (a hostile or pathological image). */
export class OcrTimeoutError extends Error {
  constructor(seconds: number) {
    super(`OCR of one page took longer than ${seconds} s`);
    this.name = 'OcrTimeoutError';
  }
}

/** PGM (P5) bytes for 8-bit gray pixels. */
export function encodePgm(gray: Uint8Array, width: number, height: number): Uint8Array {
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii');
  const out = new Uint8Array(header.length + gray.length);
  out.set(header, 0);
  out.set(gray, header.length);
  return out;
}
