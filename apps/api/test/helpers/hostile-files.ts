import { createHash, randomBytes } from 'node:crypto';
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';

/**
 * Files built to attack the upload route and the scan job. The PDFs here are
 * written object by object with a correct cross-reference table, so that each
 * one is broken only in the way its name says.
 */

/** A multipart body with one part whose header lines are given raw (bytes as written, CR, LF and NUL included). */
export function multipartWithPartHeaders(file: Uint8Array, partHeaders: string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----hostile${randomBytes(8).toString('hex')}`;
  return {
    payload: Buffer.concat([Buffer.from(`--${boundary}\r\n${partHeaders}\r\n\r\n`), file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A Windows executable (MZ header) with random content. */
export function windowsExecutable(): Buffer {
  return Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'), randomBytes(2048)]);
}

export const htmlPage = (): Buffer => Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script>Invoice</body></html>');

/** A valid one-page text PDF that a browser sniffing for markup also reads as HTML: the markup is a PDF comment after the header. */
export function pdfHtmlPolyglot(): Buffer {
  return assemblePdf(textPageObjects(Buffer.from('BT /F1 12 Tf 50 790 Td (Invoice INV-POLY Total 10.00) Tj ET')), {
    comment: '<html><body><script>alert(document.cookie)</script></body></html>',
  });
}

/** HTML first, a PDF after it: PDF readers look for `%PDF` in the first 1,024 bytes, sniffers see markup. */
export function htmlPdfPolyglot(pdf: Buffer): Buffer {
  return Buffer.concat([Buffer.from('<html><body>hi</body></html>\n'), pdf]);
}

/** A PDF with a ZIP archive appended: ZIP readers find its directory at the end, PDF readers its header at the start. */
export function pdfZipPolyglot(pdf: Buffer): Buffer {
  return Buffer.concat([pdf, zipArchive('payload.html', htmlPage())]);
}

/** A ZIP archive that holds a PDF (and starts as a ZIP). */
export function zipPdfPolyglot(pdf: Buffer): Buffer {
  return zipArchive('invoice.pdf', pdf);
}

/** The first half of a file. */
export const truncated = (file: Buffer): Buffer => file.subarray(0, Math.floor(file.length / 2));

/** A PDF header and trailer around garbage: the structure points at objects that are not there. */
export function corruptPdf(): Buffer {
  return Buffer.from(`%PDF-1.7\n${randomBytes(512).toString('base64')}\nxref\n0 3\n0000000000 65535 f \n0000099999 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n`);
}

/**
 * A one-page text PDF encrypted with the standard security handler (RC4, 40 bits, revision 2) whose
 * user password is `password`: opening it needs the password.
 */
export function encryptedPdf(password: string): Buffer {
  const id = randomBytes(16);
  const permissions = -4;
  const owner = rc4(md5(padPassword(`${password}-owner`)).subarray(0, 5), padPassword(password));
  const permissionBytes = Buffer.alloc(4);
  permissionBytes.writeInt32LE(permissions);
  const fileKey = md5(Buffer.concat([padPassword(password), owner, permissionBytes, id])).subarray(0, 5);
  const user = rc4(fileKey, PASSWORD_PADDING);
  const contentNumber = 4;
  const objectKey = md5(Buffer.concat([fileKey, Buffer.from([contentNumber, 0, 0, 0, 0])])).subarray(0, 10);
  const content = rc4(objectKey, Buffer.from('BT /F1 12 Tf 50 790 Td (Invoice INV-SECRET Total 10.00) Tj ET'));
  return assemblePdf(
    [...textPageObjects(content), `<< /Filter /Standard /V 1 /R 2 /Length 40 /P ${permissions} /O <${owner.toString('hex')}> /U <${user.toString('hex')}> >>`],
    { trailer: `/Encrypt 6 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>]` },
  );
}

/** Objects 1-5 of a one-page PDF in Helvetica: catalog, pages, page, its content stream (object 4), font. */
function textPageObjects(content: Buffer): (string | Buffer)[] {
  return [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`), content, Buffer.from('\nendstream')]),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
}

/** A PDF of `pages` empty pages, all sharing one page size. */
export async function manyPagesPdf(pages: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  for (let index = 0; index < pages; index++) pdf.addPage([595, 842]);
  return Buffer.from(await pdf.save({ objectsPerTick: Number.POSITIVE_INFINITY }));
}

/** A one-page PDF whose page dictionary holds an array nested `depth` deep: `[[[[...]]]]`. */
export function nestedArraysPdf(depth: number): Buffer {
  return assemblePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Nested ${'['.repeat(depth)}${']'.repeat(depth)} >>`,
  ]);
}

/** A PDF whose page tree is a chain of `depth` /Pages nodes, each the only kid of the one before, with one page at the end. */
export function kidsChainPdf(depth: number): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>'];
  for (let level = 0; level < depth; level++) {
    const number = level + 2;
    const parent = level === 0 ? '' : `/Parent ${number - 1} 0 R `;
    objects.push(`<< /Type /Pages ${parent}/Kids [${number + 1} 0 R] /Count 1 >>`);
  }
  objects.push(`<< /Type /Page /Parent ${depth + 1} 0 R /MediaBox [0 0 595 842] >>`);
  return assemblePdf(objects);
}

/** A PDF whose /Pages node lists itself as its kid and claims a million pages. */
export function selfReferencingPagesPdf(): Buffer {
  return assemblePdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 1000000 >>']);
}

/**
 * A one-page PDF whose content stream is about 1 KB per MiB it inflates to: one deflate block of
 * 1 MiB of spaces repeated (a full flush makes every copy identical), then the zlib trailer.
 */
export function deflateBombPdf(inflatedMiB: number): Buffer {
  const mebibyte = Buffer.alloc(1024 * 1024, 0x20);
  const block = deflateRawSync(mebibyte, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(adler32OfRepeatedByte(0x20, mebibyte.length * inflatedMiB));
  const compressed = Buffer.concat([Buffer.from([0x78, 0xda]), ...Array<Buffer>(inflatedMiB).fill(block), Buffer.from([0x03, 0x00]), checksum]);
  const objects = textPageObjects(compressed);
  objects[3] = Buffer.concat([Buffer.from(`<< /Length ${compressed.length} /Filter /FlateDecode >>\nstream\n`), compressed, Buffer.from('\nendstream')]);
  return assemblePdf(objects);
}

/** A PNG whose header declares width × height pixels, with a few bytes of image data: a decompression bomb's header. */
export function pngDeclaring(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit grayscale, deflate, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A white 8×8 baseline JPEG. */
export const tinyJpeg = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAAAP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AKAAD//Z',
  'base64',
);

/** A white 8×8 uncompressed little-endian TIFF. */
const tinyTiff = Buffer.from(
  'SUkqAMgAAAD///////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////8PAAABAwABAAAACAAAAAEBAwABAAAACAAAAAIBAwADAAAAkgEAAAMBAwABAAAAAQAAAAYBAwABAAAAAgAAABEBBAABAAAACAAAABIBAwABAAAAAQAAABUBAwABAAAAAwAAABYBAwABAAAAAAEAABcBBAABAAAAwAAAABoBBQABAAAAggEAABsBBQABAAAAigEAABwBAwABAAAAAQAAACgBAwABAAAAAgAAAFMBAwADAAAAmAEAAAAAAAAzM8sAAAAIADMzywAAAAgACAAIAAgAAQABAAEA',
  'base64',
);

/** The 8×8 JPEG with its frame header (SOF0) rewritten to declare width × height (at most 65,535 each). */
export function jpegDeclaring(width: number, height: number): Buffer {
  const jpeg = Buffer.from(tinyJpeg);
  const frame = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(height, frame + 5);
  jpeg.writeUInt16BE(width, frame + 7);
  return jpeg;
}

/** The 8×8 TIFF with its first directory rewritten to declare width × height (at most 65,535 each). */
export function tiffDeclaring(width: number, height: number): Buffer {
  const tiff = Buffer.from(tinyTiff);
  const directory = tiff.readUInt32LE(4);
  for (let entry = 0; entry < tiff.readUInt16LE(directory); entry++) {
    const at = directory + 2 + entry * 12;
    const value = { 256: width, 257: height }[tiff.readUInt16LE(at)];
    // Both are SHORT (type 3) here, stored in the entry itself.
    if (value !== undefined) tiff.writeUInt16LE(value, at + 8);
  }
  return tiff;
}

/** Writes numbered objects (1, 2, …; object 1 is the catalog) with a cross-reference table that points at each. */
function assemblePdf(objects: (string | Buffer)[], extra: { trailer?: string; comment?: string } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from(`%PDF-1.4\n%\xe2\xe3\xcf\xd3\n${extra.comment ? `%${extra.comment}\n` : ''}`, 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(length);
    const part = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`), Buffer.from(body), Buffer.from('\nendobj\n')]);
    parts.push(part);
    length += part.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${extra.trailer ?? ''} >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}

function zipArchive(name: string, data: Buffer): Buffer {
  const fileName = Buffer.from(name);
  const checksum = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(checksum, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(checksum, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const directoryOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(directoryOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, checksum]);
}

/** Adler-32 of `count` bytes all equal to `byte`, in closed form: a = 1 + n·c, b = n + c·n(n+1)/2 (mod 65521). */
function adler32OfRepeatedByte(byte: number, count: number): number {
  const n = BigInt(count);
  const c = BigInt(byte);
  const a = (1n + n * c) % 65521n;
  const b = (n + (c * n * (n + 1n)) / 2n) % 65521n;
  return Number((b << 16n) | a);
}

/** The 32 bytes the standard security handler pads passwords with (PDF 32000-1, 7.6.3.3). */
const PASSWORD_PADDING = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

const padPassword = (password: string): Buffer => Buffer.concat([Buffer.from(password, 'latin1'), PASSWORD_PADDING]).subarray(0, 32);
const md5 = (data: Buffer): Buffer => createHash('md5').update(data).digest();

/** RC4, which OpenSSL 3 no longer offers by default; PDF's standard security handler revision 2 needs it. */
function rc4(key: Buffer, data: Buffer): Buffer {
  const state = Array.from({ length: 256 }, (_, index) => index);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + state[i]! + key[i % key.length]!) & 0xff;
    [state[i], state[j]] = [state[j]!, state[i]!];
  }
  const output = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + state[i]!) & 0xff;
    [state[i], state[j]] = [state[j]!, state[i]!];
    output[n] = data[n]! ^ state[(state[i]! + state[j]!) & 0xff]!;
  }
  return output;
}
