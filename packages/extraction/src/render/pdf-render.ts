import { createCanvas } from '@napi-rs/canvas';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentLoadingTask, PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { UnreadableDocumentError } from '../errors.js';
import { pdfjsAssets, pdfjsDocumentOptions } from '../pdfjs-options.js';

type RenderParameters = Parameters<PDFPageProxy['render']>[0];

/** 150 dpi reads invoice text as well as 300 dpi at under half the OCR time. */
export const RENDER_DPI = 150;
/** A page is rendered at RENDER_DPI unless that exceeds this many pixels (poster-sized pages): then smaller. */
const MAX_RENDER_PIXELS = 9_000_000;

export interface RenderedPage {
  /** RGBA pixels, width × height × 4. */
  rgba: Uint8Array;
  width: number;
  height: number;
  dpi: number;
}

export interface PdfRenderer {
  numPages: number;
  renderPage(pageNumber: number, signal?: AbortSignal): Promise<RenderedPage>;
  close(): Promise<void>;
}

/**
 * Opens a PDF for rendering pages to pixels with pdfjs-dist (legacy build) on an @napi-rs/canvas.
 * Embedded images above `maxImagePixels` are not decoded (pdfjs maxImageSize), page size is capped,
 * and rendering a page can be cancelled by the signal.
 */
export async function openPdfRenderer(bytes: Uint8Array, options: { maxImagePixels: number; signal?: AbortSignal | undefined }): Promise<PdfRenderer> {
  const { signal } = options;
  signal?.throwIfAborted();
  const task: PDFDocumentLoadingTask = getDocument({
    ...pdfjsDocumentOptions(bytes),
    // JPEG 2000 and JBIG2 images (common in scans) are decoded by pdfjs's WASM decoders.
    ...pdfjsAssets,
    maxImageSize: options.maxImagePixels,
  });
  const cancel = (): void => void task.destroy();
  signal?.addEventListener('abort', cancel, { once: true });
  let pdf: PDFDocumentProxy;
  try {
    pdf = await task.promise;
  } catch (error) {
    signal?.throwIfAborted();
    if (error instanceof Error && error.name === 'PasswordException') {
      throw new UnreadableDocumentError('PDF is password-protected', 'encrypted', { cause: error });
    }
    throw new UnreadableDocumentError('PDF cannot be parsed', 'corrupt', { cause: error });
  } finally {
    signal?.removeEventListener('abort', cancel);
  }

  return {
    numPages: pdf.numPages,
    async renderPage(pageNumber, pageSignal) {
      pageSignal?.throwIfAborted();
      const page = await pdf.getPage(pageNumber);
      try {
        const base = page.getViewport({ scale: 1 });
        let scale = RENDER_DPI / 72;
        const pixels = base.width * base.height * scale * scale;
        if (pixels > MAX_RENDER_PIXELS) scale *= Math.sqrt(MAX_RENDER_PIXELS / pixels);
        const viewport = page.getViewport({ scale });
        const width = Math.max(1, Math.round(viewport.width));
        const height = Math.max(1, Math.round(viewport.height));
        const canvas = createCanvas(width, height);
        const context = canvas.getContext('2d');
        context.fillStyle = '#ffffff';
        context.fillRect(0, 0, width, height);
        const renderTask = page.render({
          canvas: canvas as unknown as RenderParameters['canvas'],
          canvasContext: context as unknown as RenderParameters['canvasContext'],
          viewport,
          background: '#ffffff',
        });
        const stop = (): void => renderTask.cancel();
        pageSignal?.addEventListener('abort', stop, { once: true });
        try {
          await renderTask.promise;
        } catch (error) {
          pageSignal?.throwIfAborted();
          throw new UnreadableDocumentError(`PDF page ${pageNumber} cannot be rendered`, 'corrupt', { cause: error });
        } finally {
          pageSignal?.removeEventListener('abort', stop);
        }
        const image = context.getImageData(0, 0, width, height);
        return { rgba: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength), width, height, dpi: scale * 72 };
      } finally {
        page.cleanup();
      }
    },
    async close() {
      await task.destroy();
    },
  };
}
