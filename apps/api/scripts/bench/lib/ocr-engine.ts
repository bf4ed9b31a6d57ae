/**
 * The OCR engine a Billflow process picks on this machine with OCR_ENGINE=auto: 'native' (the
 * tesseract CLI, one process per page) or 'wasm' (tesseract.js threads). Nothing is OCR'd: the
 * extractor starts its OCR pool only on a first scan.
 */
export async function autoOcrEngine(): Promise<string> {
  const { createExtractor } = await import('@billflow/extraction');
  const extractor = createExtractor({ engine: 'auto' });
  await extractor.close();
  return extractor.engine;
}
