export { createExtractor, extractDocument } from './extract.js';
export { UnreadableDocumentError } from './errors.js';
export type {
  DocumentKind,
  ExtractedFields,
  ExtractedLineItem,
  ExtractionInput,
  ExtractionMethod,
  ExtractionOptions,
  ExtractionResult,
  ExtractionStage,
  Extractor,
  ExtractorOptions,
  Field,
  FieldName,
} from './types.js';
