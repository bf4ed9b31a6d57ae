/** What the caller hands to extraction: the whole file and what it is. */
export interface ExtractionInput {
  bytes: Uint8Array;
  /** Sniffed from magic bytes by the caller: application/pdf, image/png, image/jpeg, image/tiff, image/webp. */
  mimeType: string;
  kind: DocumentKind;
  /** Aborts the extraction; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called at each stage with a percentage 0-100 of the extraction's own work. */
  onProgress?: (stage: ExtractionStage, percent: number) => void;
}

export type DocumentKind = 'bill' | 'invoice' | 'receipt';
export type ExtractionStage = 'reading' | 'parsing' | 'scoring';
export type ExtractionMethod = 'pdf-text' | 'ocr' | 'none';

/** A value with how sure we are of it (0-1). A missing field is { value: null, confidence: 0 }. */
export interface Field<T> {
  value: T | null;
  confidence: number;
}

/** Money and quantities are decimal strings with a dot ("1234.56"), never floats. Dates are YYYY-MM-DD. */
export interface ExtractedFields {
  vendorName: Field<string>;
  customerName: Field<string>;
  invoiceNumber: Field<string>;
  issueDate: Field<string>;
  dueDate: Field<string>;
  /** ISO 4217 code. */
  currency: Field<string>;
  subtotal: Field<string>;
  discount: Field<string>;
  shipping: Field<string>;
  tax: Field<string>;
  total: Field<string>;
}

export type FieldName = keyof ExtractedFields;

export interface ExtractedLineItem {
  description: string;
  quantity: string | null;
  unitPrice: string | null;
  amount: string;
  confidence: number;
}

export interface ExtractionResult {
  method: ExtractionMethod;
  pageCount: number;
  fields: ExtractedFields;
  lineItems: ExtractedLineItem[];
  /** Overall confidence 0-1; the caller routes to review below its threshold. */
  confidence: number;
  /** Human-readable reasons behind the confidence (cross-checks passed/failed, missing fields). Never document text. */
  reasons: string[];
  durationMs: number;
}

/** Limits for one extraction. */
export interface ExtractionOptions {
  /** Pages read from a PDF; later pages are ignored (default 50). */
  maxPages?: number;
}

/** Settings of a long-lived extractor; the OCR pool it owns is sized and shared by all its extractions. */
export interface ExtractorOptions {
  /** An optional second opinion on the page text (e.g. createModelRefiner), merged into the local result. */
  refine?: (input: { text: string; local: ExtractionResult; signal?: AbortSignal }) => Promise<{ result: ExtractionResult }>;
  /** OCR engine: the tesseract CLI ('native'), tesseract.js ('wasm'), or native when `tesseract --version` runs and has the languages ('auto', default). */
  engine?: 'auto' | 'native' | 'wasm';
  /** OCR pages processed at once across all extractions: tesseract processes or tesseract.js workers (default 1). */
  ocrWorkers?: number;
  /** Tesseract languages used together (default ['eng', 'deu', 'fra']). */
  languages?: string[];
  /** Pages read from a PDF or multi-page TIFF; later pages are ignored (default 50). */
  maxPages?: number;
  /** Largest image (or page of one) in pixels; larger ones are rejected as 'too-large' before decoding (default 50,000,000). */
  maxImagePixels?: number;
}

export interface Extractor {
  extract(input: ExtractionInput): Promise<ExtractionResult>;
  /** The OCR engine in use (decided when the extractor is created). */
  readonly engine: 'native' | 'wasm';
  /** Stops the OCR pool (kills running tesseract processes, terminates tesseract.js workers). */
  close(): Promise<void>;
}
