import { deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { UnreadableDocumentError, extractDocument } from '../src/index.js';
import { checkInflatedSize } from '../src/pdf-streams.js';

const MiB = 1024 * 1024;

/** One indirect stream object with the given dictionary entries around `data`. */
function streamObject(number: number, entries: string, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${number} 0 obj\n<< /Length ${data.length} ${entries} >>\nstream\n`), data, Buffer.from('\nendstream\nendobj\n')]);
}

async function reasonOf(check: Promise<unknown>): Promise<string | null> {
  const error = await check.then(
    () => null,
    (rejection: unknown) => rejection,
  );
  if (error === null) return null;
  expect(error).toBeInstanceOf(UnreadableDocumentError);
  return (error as UnreadableDocumentError).reason;
}

describe('checkInflatedSize', () => {
  it('passes a PDF whose streams expand within the limit', async () => {
    const pdf = await PDFDocument.create();
    pdf.addPage().drawText('Invoice 1', { x: 50, y: 700, font: await pdf.embedFont(StandardFonts.Helvetica) });
    expect(await reasonOf(checkInflatedSize(await pdf.save()))).toBeNull();
  });

  it('refuses Flate streams that together expand beyond the limit', async () => {
    const bytes = Buffer.concat([streamObject(1, '/Filter /FlateDecode', deflateSync(Buffer.alloc(3 * MiB))), streamObject(2, '/Filter /Fl', deflateSync(Buffer.alloc(3 * MiB)))]);
    expect(await reasonOf(checkInflatedSize(bytes, 8 * MiB))).toBeNull();
    expect(await reasonOf(checkInflatedSize(bytes, 5 * MiB))).toBe('too-large');
  });

  it('counts every stage of a chain of Flate filters', async () => {
    const twice = deflateSync(deflateSync(Buffer.alloc(8 * MiB)));
    expect(twice.length).toBeLessThan(1024);
    expect(await reasonOf(checkInflatedSize(streamObject(1, '/Filter [/FlateDecode /FlateDecode]', twice), 4 * MiB))).toBe('too-large');
  });

  it('leaves image streams to the pixel limit and undecodable streams to the parser', async () => {
    const image = streamObject(1, '/Type /XObject /Subtype /Image /Width 1 /Height 1 /Filter /FlateDecode', deflateSync(Buffer.alloc(8 * MiB)));
    const garbage = streamObject(2, '/Filter /FlateDecode', Buffer.from('not deflate data'));
    expect(await reasonOf(checkInflatedSize(Buffer.concat([image, garbage]), 1 * MiB))).toBeNull();
  });

  it('makes extractDocument refuse a deflate bomb before pdfjs expands it', async () => {
    const pdf = await PDFDocument.create();
    pdf.addPage();
    const bytes = Buffer.from(await pdf.save({ useObjectStreams: false }));
    const bomb = Buffer.concat([bytes.subarray(0, bytes.lastIndexOf('xref')), streamObject(99, '/Filter /FlateDecode', deflateSync(Buffer.alloc(200 * MiB)))]);
    expect(await reasonOf(extractDocument({ bytes: bomb, mimeType: 'application/pdf', kind: 'bill' }))).toBe('too-large');
  });
});
