import { createHash, randomBytes, type Hash } from 'node:crypto';
import { concatTransformationMatrix, drawObject, PDFDocument, PDFName, PDFString, popGraphicsState, pushGraphicsState } from 'pdf-lib';

const STAMP_DIGITS = 16;
const PLACEHOLDER = `BENCH-${'0'.repeat(STAMP_DIGITS)}`;
const IMAGE_WIDTH = 16;

/** A valid one-page PDF of at most `bytes` (within 16 bytes) whose unique stamp can be rewritten in place. */
export interface BenchPdf {
  bytes: Buffer;
  /** Where the stamp's digits start in `bytes`. */
  stampOffset: number;
}

async function buildPdf(imageBytes: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  // Random grey pixels: incompressible, so the file's size is what crosses the wire and lands in S3.
  const height = Math.max(1, Math.floor(imageBytes / IMAGE_WIDTH));
  const image = pdf.context.register(
    pdf.context.stream(randomBytes(IMAGE_WIDTH * height), { Type: 'XObject', Subtype: 'Image', Width: IMAGE_WIDTH, Height: height, ColorSpace: 'DeviceGray', BitsPerComponent: 8 }),
  );
  const name = page.node.newXObject('Im', image);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(595, 0, 0, 842, 0, 0), drawObject(name), popGraphicsState());
  // Registered last, so it is written last: everything before the stamp hashes once (see stampedSha256).
  pdf.catalog.set(PDFName.of('BenchStamp'), pdf.context.register(PDFString.of(PLACEHOLDER)));
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

/** Builds the PDF (twice: the first pass measures the fixed overhead). */
export async function benchPdf(bytes: number): Promise<BenchPdf> {
  const overhead = (await buildPdf(IMAGE_WIDTH)).length - IMAGE_WIDTH;
  const pdf = await buildPdf(bytes - overhead - IMAGE_WIDTH);
  if (pdf.length > bytes) throw new Error(`bench PDF came out at ${pdf.length} bytes, above ${bytes}`);
  return { bytes: pdf, stampOffset: pdf.indexOf(PLACEHOLDER) + PLACEHOLDER.length - STAMP_DIGITS };
}

/** Writes `stamp` (hex, zero-padded) into `target` at `offset`, in place: same length, so the PDF's xref stays valid. */
export function writeStamp(target: Buffer, offset: number, stamp: number): void {
  target.write(stamp.toString(16).padStart(STAMP_DIGITS, '0'), offset, STAMP_DIGITS, 'latin1');
}

/** The stamp's offset inside a larger buffer holding the PDF (e.g. a multipart body). */
export function stampOffsetIn(container: Buffer, pdf: BenchPdf): number {
  return container.indexOf(pdf.bytes.subarray(0, 64)) + pdf.stampOffset;
}

/** sha256 of the PDF stamped with each number, hashing the unchanging prefix once. */
export function stampedSha256(pdf: BenchPdf): (stamp: number) => string {
  const prefix: Hash = createHash('sha256').update(pdf.bytes.subarray(0, pdf.stampOffset));
  const suffix = Buffer.from(pdf.bytes.subarray(pdf.stampOffset));
  return (stamp) => {
    writeStamp(suffix, 0, stamp);
    return prefix.copy().update(suffix).digest('hex');
  };
}
