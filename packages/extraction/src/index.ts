export { createExtractor, extractDocument } from './extract.js';
export { UnreadableDocumentError } from './errors.js';
export { createModelRefiner } from './providers/index.js';
export type { ModelProviderOptions, ModelRefiner, Refinement } from './providers/index.js';
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
