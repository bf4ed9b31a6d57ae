import { promisify } from 'node:util';
import { constants, inflate } from 'node:zlib';
import { UnreadableDocumentError } from './errors.js';

const inflateAsync = promisify(inflate);

/**
 * What the Flate streams of one PDF may expand to, images aside. Invoices need a few MB; a deflate
 * bomb of 1 MB expands to 1 GB, and pdfjs (which has no limit of its own) would hold it in memory.
 */
export const MAX_INFLATED_PDF_BYTES = 128 * 1024 * 1024;

/** A dictionary longer than this before `stream` is not a stream dictionary we can read. */
const MAX_DICTIONARY_CHARS = 64 * 1024;

/**
 * Throws UnreadableDocumentError('too-large') when the Flate-compressed streams of a PDF expand to
 * more than `maxBytes` in total (each stage of a Flate chain counted). Runs on zlib's thread pool and
 * stops at the limit, so a bomb costs at most `maxBytes` of memory for a moment. Image streams are
 * left out: pdfjs decodes only the bytes their declared size needs, which maxImageSize bounds.
 * Streams that do not inflate are left to pdfjs, which reports the PDF as corrupt if it must.
 */
export async function checkInflatedSize(bytes: Uint8Array, maxBytes = MAX_INFLATED_PDF_BYTES): Promise<void> {
  let budget = maxBytes;
  for (const stream of flateStreams(bytes)) {
    let data = stream.data;
    for (let stage = 0; stage < stream.flateStages; stage++) {
      const inflated = await inflateWithin(data, budget, maxBytes);
      if (!inflated) break;
      budget -= inflated.length;
      data = inflated;
    }
  }
}

async function inflateWithin(data: Uint8Array, budget: number, maxBytes: number): Promise<Buffer | null> {
  try {
    // Sync flush: a stream cut short still counts what it holds.
    return await inflateAsync(data, { maxOutputLength: Math.max(1, budget), finishFlush: constants.Z_SYNC_FLUSH });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UnreadableDocumentError(`PDF content expands to more than ${Math.round(maxBytes / 1024 / 1024)} MB`, 'too-large', { cause: error });
    }
    return null;
  }
}

interface FlateStream {
  data: Uint8Array;
  /** How many FlateDecode filters the stream starts with. */
  flateStages: number;
}

/** Every non-image stream whose filter chain starts with FlateDecode, found by its keywords (the cross-reference table is not trusted). */
function* flateStreams(bytes: Uint8Array): Generator<FlateStream> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let from = 0;
  for (let keyword = text.indexOf('stream', from); keyword >= 0; keyword = text.indexOf('stream', from)) {
    from = keyword + 6;
    if (text.startsWith('end', keyword - 3)) continue;
    const dataStart = text.startsWith('\r\n', from) ? from + 2 : text[from] === '\n' || text[from] === '\r' ? from + 1 : -1;
    const objectStart = text.lastIndexOf('obj', keyword);
    if (dataStart < 0 || objectStart < 0 || keyword - objectStart > MAX_DICTIONARY_CHARS) continue;
    const dictionary = text.slice(objectStart, keyword);
    const end = text.indexOf('endstream', dataStart);
    from = end < 0 ? text.length : end + 9;
    if (/\/Subtype\s*\/Image\b/.test(dictionary)) continue;
    const flateStages = leadingFlateFilters(dictionary);
    if (flateStages > 0) yield { data: bytes.subarray(dataStart, end < 0 ? bytes.length : end), flateStages };
  }
}

function leadingFlateFilters(dictionary: string): number {
  const filter = /\/Filter\s*(\[[^\]]*\]|\/[^\s/[\]<>()]+)/.exec(dictionary)?.[1];
  if (!filter) return 0;
  const names = filter.match(/\/[^\s/[\]<>()]+/g) ?? [];
  let stages = 0;
  while (stages < names.length && (names[stages] === '/FlateDecode' || names[stages] === '/Fl')) stages++;
  return stages;
}
