import type { Extractor } from '@billflow/extraction';
import type { Config } from '../config.js';

/** What the job path uses of an extractor. */
export type JobExtractor = Pick<Extractor, 'extract' | 'close'>;

type ExtractionConfig = Pick<
  Config,
  | 'OCR_ENGINE'
  | 'OCR_WORKERS'
  | 'EXTRACTION_MAX_PAGES'
  | 'MAX_IMAGE_PIXELS'
  | 'EXTRACTION_PROVIDER'
  | 'EXTRACTION_MODEL_BASE_URL'
  | 'EXTRACTION_MODEL_API_KEY'
  | 'EXTRACTION_MODEL'
  | 'EXTRACTION_MODEL_TIMEOUT_MS'
>;

/**
 * The extractor, with the extraction package imported at the first job: pdfjs,
 * sharp and @napi-rs/canvas take ~90 MB of RSS once loaded, which a process
 * that only takes uploads (WORKER_ROLE=api) never needs.
 */
export function lazyExtractor(config: ExtractionConfig): JobExtractor {
  let loading: Promise<Extractor> | undefined;
  const load = () =>
    (loading ??= import('@billflow/extraction').then(({ createExtractor, createModelRefiner }) =>
      createExtractor({
        engine: config.OCR_ENGINE,
        ocrWorkers: config.OCR_WORKERS,
        maxPages: config.EXTRACTION_MAX_PAGES,
        maxImagePixels: config.MAX_IMAGE_PIXELS,
        refine:
          config.EXTRACTION_PROVIDER === 'openai-compatible'
            ? createModelRefiner({
                baseUrl: config.EXTRACTION_MODEL_BASE_URL!,
                apiKey: config.EXTRACTION_MODEL_API_KEY!,
                model: config.EXTRACTION_MODEL!,
                timeoutMs: config.EXTRACTION_MODEL_TIMEOUT_MS,
              })
            : undefined,
      }),
    ));
  return {
    extract: async (input) => (await load()).extract(input),
    close: async () => {
      if (loading) await (await loading).close();
    },
  };
}
