import { createRequire } from 'node:module';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import type { Random } from './random.js';

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** Renders every page of a PDF to a white-background PNG at `dpi`. Uses pdfjs' bundled fonts only. */
export async function rasterisePdf(pdf: Uint8Array, dpi: number): Promise<Buffer[]> {
  const task = getDocument({
    data: new Uint8Array(pdf),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl: `${pdfjsRoot}/standard_fonts/`,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    const pages: Buffer[] = [];
    for (let number = 1; number <= doc.numPages; number++) {
      const page = await doc.getPage(number);
      const viewport = page.getViewport({ scale: dpi / 72 });
      const canvas = createCanvas(Math.round(viewport.width), Math.round(viewport.height));
      const context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      // pdfjs' types name the DOM canvas; @napi-rs/canvas implements the same 2D API.
      await page.render({ canvasContext: context as never, viewport, canvas: canvas as never }).promise;
      pages.push(canvas.toBuffer('image/png'));
      page.cleanup();
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

/** How one scan was degraded, recorded beside it. */
export interface Degradation {
  dpi: number;
  angle: number;
  blur: number;
  noise: number;
  contrast: number;
  format: 'png' | 'jpeg';
  quality: number;
}

export function chooseDegradation(rng: Random, receipt: boolean): Degradation {
  const heavy = rng.chance(0.25);
  return {
    dpi: rng.pick(receipt ? [200, 200, 150] : [150, 150, 200, 200, 300]),
    angle: (rng.next() - 0.5) * (heavy ? 3 : 1.6),
    blur: rng.chance(0.5) ? 0.3 + rng.next() * (heavy ? 0.9 : 0.5) : 0,
    // Grain as standard deviation in gray levels: office scanners ~1–4, phone photos up to ~12.
    noise: 1 + rng.next() * (heavy ? 11 : 6),
    contrast: receipt ? 0.55 + rng.next() * 0.4 : 0.75 + rng.next() * 0.25,
    format: rng.chance(0.6) ? 'jpeg' : 'png',
    quality: rng.int(heavy ? 35 : 55, 90),
  };
}

/** Rotation, blur, faded contrast, speckle noise and lossy compression, as a phone or office scanner would give. */
export async function degradePage(png: Buffer, degradation: Degradation, rng: Random, renderedDpi: number): Promise<Buffer> {
  let image = sharp(png).grayscale();
  if (degradation.dpi !== renderedDpi) {
    const meta = await sharp(png).metadata();
    image = image.resize({ width: Math.round(((meta.width ?? 1000) * degradation.dpi) / renderedDpi) });
  }
  // Fade: ink is never fully black, paper never fully white.
  const low = Math.round(255 * (1 - degradation.contrast) * 0.6);
  image = image.linear(degradation.contrast, low);
  image = image.rotate(degradation.angle, { background: { r: 250, g: 250, b: 250 } });
  if (degradation.blur >= 0.3) image = image.blur(degradation.blur);
  const { data, info } = await image.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const pixels = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  // Roughly gaussian noise from a seeded xorshift: the sum of four bytes of one draw (mean 510, sd ~148).
  let state = rng.int(1, 0x7fffffff);
  const scale = degradation.noise / 148;
  for (let i = 0; i < pixels.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const sum = (state & 255) + ((state >>> 8) & 255) + ((state >>> 16) & 255) + ((state >>> 24) & 255);
    pixels[i] = (pixels[i] ?? 0) + (sum - 510) * scale;
  }
  // A few dark specks, as dust on the glass.
  const specks = Math.round((info.width * info.height) / 200000) * Math.round(degradation.noise / 4);
  for (let s = 0; s < specks; s++) {
    const at = rng.int(0, pixels.length - 1);
    pixels[at] = rng.int(0, 90);
  }
  const raw = sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.length), { raw: { width: info.width, height: info.height, channels: info.channels } });
  return degradation.format === 'jpeg' ? raw.jpeg({ quality: degradation.quality }).toBuffer() : raw.png().toBuffer();
}

/** A scanned PDF: one image per page and no text layer. */
export async function imagePdf(pages: Buffer[], format: 'png' | 'jpeg', dpi: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  doc.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  for (const bytes of pages) {
    const image = format === 'jpeg' ? await doc.embedJpg(bytes) : await doc.embedPng(bytes);
    const width = (image.width * 72) / dpi;
    const height = (image.height * 72) / dpi;
    doc.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
  }
  return doc.save();
}

/** A scanned copy of a document: an image for one page, a PDF of images for several. */
export interface ScannedDocument {
  bytes: Uint8Array;
  mimeType: 'image/png' | 'image/jpeg' | 'application/pdf';
  degradation: Degradation;
  pages: number;
}

export async function scanDocument(pdf: Uint8Array, rng: Random, receipt: boolean): Promise<ScannedDocument> {
  const degradation = chooseDegradation(rng, receipt);
  const rendered = await rasterisePdf(pdf, degradation.dpi);
  const pages: Buffer[] = [];
  for (const page of rendered) pages.push(await degradePage(page, degradation, rng, degradation.dpi));
  // Some single pages arrive as scanned PDFs too, as office scanners send them.
  if (pages.length > 1 || rng.chance(0.2)) {
    return { bytes: await imagePdf(pages, degradation.format, degradation.dpi), mimeType: 'application/pdf', degradation, pages: pages.length };
  }
  const [page] = pages;
  return { bytes: new Uint8Array(page as Buffer), mimeType: degradation.format === 'jpeg' ? 'image/jpeg' : 'image/png', degradation, pages: 1 };
}
