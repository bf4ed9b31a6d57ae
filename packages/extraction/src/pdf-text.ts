import { getDocument, Util } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { UnreadableDocumentError } from './errors.js';
import { pdfjsDocumentOptions } from './pdfjs-options.js';
import { buildLines } from './layout.js';
import type { Line, PlacedText } from './layout.js';

export interface PdfText {
  pageCount: number;
  pagesRead: number;
  lines: Line[];
}

export interface ReadPdfOptions {
  maxPages: number;
  signal?: AbortSignal | undefined;
  onPage?: (pagesDone: number, pagesToRead: number) => void;
}

type TextContentItem = Awaited<ReturnType<PDFPageProxy['getTextContent']>>['items'][number];

/** Reads the text layer of a PDF as visual rows. Throws UnreadableDocumentError for corrupt or password-protected files. */
export async function readPdfText(bytes: Uint8Array, options: ReadPdfOptions): Promise<PdfText> {
  const { signal } = options;
  signal?.throwIfAborted();
  const task = getDocument(pdfjsDocumentOptions(bytes));
  const cancel = (): void => void task.destroy();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    const pdf = await guard(task.promise, signal);
    const pagesToRead = Math.min(pdf.numPages, options.maxPages);
    const lines: Line[] = [];
    for (let pageNumber = 1; pageNumber <= pagesToRead; pageNumber++) {
      signal?.throwIfAborted();
      lines.push(...(await guard(readPage(pdf, pageNumber), signal)));
      options.onPage?.(pageNumber, pagesToRead);
    }
    return { pageCount: pdf.numPages, pagesRead: pagesToRead, lines };
  } finally {
    signal?.removeEventListener('abort', cancel);
    await task.destroy();
  }
}

async function readPage(pdf: PDFDocumentProxy, pageNumber: number): Promise<Line[]> {
  const page = await pdf.getPage(pageNumber);
  try {
    // The viewport transform turns PDF user space into top-down coordinates and applies /Rotate.
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const placed = content.items.filter(isTextItem).map((item): PlacedText => {
      const [, , c = 0, d = 0, x = 0, y = 0] = Util.transform(viewport.transform, item.transform) as number[];
      return { text: item.str, x, y, width: item.width, size: Math.hypot(c, d) || item.height };
    });
    return buildLines(placed, pageNumber);
  } finally {
    page.cleanup();
  }
}

function isTextItem(item: TextContentItem): item is Extract<TextContentItem, { str: string }> {
  return 'str' in item;
}

/** Maps pdfjs failures to UnreadableDocumentError, unless the failure came from our own abort. */
async function guard<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    signal?.throwIfAborted();
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') {
      throw new UnreadableDocumentError('PDF is password-protected', 'encrypted', { cause: error });
    }
    throw new UnreadableDocumentError('PDF cannot be parsed', 'corrupt', { cause: error });
  }
}
