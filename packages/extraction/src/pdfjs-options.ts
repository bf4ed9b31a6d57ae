import { createRequire } from 'node:module';
import path from 'node:path';
import { VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/**
 * What every pdfjs getDocument call here shares: no eval, no system or web
 * fonts, fonts and CMaps from the package (offline), errors-only logging.
 * pdfjs transfers (detaches) the buffer it is given and refuses Node Buffers:
 * a plain Uint8Array copy keeps the caller's bytes intact either way.
 */
export function pdfjsDocumentOptions(bytes: Uint8Array) {
  return {
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl: `${pdfjsRoot}/standard_fonts/`,
    cMapUrl: `${pdfjsRoot}/cmaps/`,
    verbosity: VerbosityLevel.ERRORS,
  };
}

/** The package's own folder, for the decoders the renderer needs too. */
export const pdfjsAssets = { wasmUrl: `${pdfjsRoot}/wasm/`, iccUrl: `${pdfjsRoot}/iccs/` };
