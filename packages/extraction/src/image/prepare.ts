import sharp from 'sharp';
import type { Metadata, Sharp } from 'sharp';
import { UnreadableDocumentError } from '../errors.js';
import { encodePgm } from '../ocr/types.js';
import type { OcrImage } from '../ocr/types.js';

export interface ImageLimits {
  /** Largest width × height of one page; larger images are rejected from their header, before decoding. */
  maxPixels: number;
  /** Pages (TIFF) read at most; later pages are ignored. */
  maxPages: number;
}

export interface ImageInfo {
  format: 'png' | 'jpeg' | 'tiff' | 'webp';
  pageCount: number;
  pagesToRead: number;
}

const FORMATS = new Set<string>(['png', 'jpeg', 'tiff', 'webp']);
/** Images whose long side is below this are upscaled to UPSCALE_TO (a 150 dpi A4 page is 1754 px tall). */
const UPSCALE_BELOW = 1400;
const UPSCALE_TO = 1754;
const MAX_UPSCALE = 3;
/** Images larger than this on the long side are reduced to DOWNSCALE_TO: OCR time grows with pixels, accuracy does not. */
const DOWNSCALE_ABOVE = 2600;
const DOWNSCALE_TO = 2400;
/** An A4 or Letter page is ~11.3 inches on its long side; used to guess the dpi of images that do not state it. */
const PAGE_LONG_SIDE_INCHES = 11.3;

/**
 * Reads only the image header: format, page count and size. Rejects before any pixel is decoded:
 * too many pixels → 'too-large' (decompression bombs), unreadable header → 'corrupt', a format
 * other than PNG/JPEG/TIFF/WebP → 'unsupported'.
 */
export async function inspectImage(bytes: Uint8Array, limits: ImageLimits): Promise<ImageInfo> {
  const meta = await metadataOf(bytes, undefined);
  if (!meta.format || !FORMATS.has(meta.format)) {
    throw new UnreadableDocumentError(`unsupported image format ${meta.format ?? 'unknown'}`, 'unsupported');
  }
  checkPixels(meta, limits.maxPixels);
  // Only TIFF pages are document pages; frames of an animated WebP or PNG are not.
  const pageCount = meta.format === 'tiff' ? Math.max(1, meta.pages ?? 1) : 1;
  return { format: meta.format as ImageInfo['format'], pageCount, pagesToRead: Math.min(pageCount, limits.maxPages) };
}

/**
 * Decodes one page and prepares it for OCR: EXIF orientation applied, transparency on white,
 * grayscale, small scans upscaled (to ~150 dpi for a letter page; at 72 dpi tesseract misreads most
 * amounts) and large photos reduced, then cleaned (see clean()). The page's own header is checked
 * against the pixel limit first.
 */
export async function prepareImagePage(bytes: Uint8Array, pageIndex: number, limits: ImageLimits): Promise<OcrImage> {
  const meta = await metadataOf(bytes, pageIndex);
  checkPixels(meta, limits.maxPixels);
  const swapped = (meta.orientation ?? 1) >= 5;
  const width = (swapped ? meta.height : meta.width) ?? 0;
  const height = (swapped ? meta.width : meta.height) ?? 0;
  const longSide = Math.max(width, height);
  let scale = 1;
  if (longSide < UPSCALE_BELOW) scale = Math.min(MAX_UPSCALE, UPSCALE_TO / longSide);
  else if (longSide > DOWNSCALE_ABOVE) scale = DOWNSCALE_TO / longSide;

  let pipeline = open(bytes, pageIndex, limits.maxPixels).autoOrient();
  if (scale !== 1) {
    pipeline = pipeline.resize({
      width: Math.max(1, Math.round(width * scale)),
      height: Math.max(1, Math.round(height * scale)),
      fit: 'fill',
      kernel: scale > 1 ? 'cubic' : 'lanczos3',
    });
  }
  const gray = await clean(await decode(pipeline.flatten({ background: '#ffffff' }).greyscale().toColourspace('b-w')));
  const stated = meta.density && meta.density >= 100 && meta.density <= 1200 ? meta.density : null;
  const dpi = clamp(Math.round(stated ? stated * scale : Math.max(gray.width, gray.height) / PAGE_LONG_SIDE_INCHES), 70, 1200);
  return { data: encodePgm(gray.data, gray.width, gray.height), width: gray.width, height: gray.height, dpi };
}

/** Prepares raw RGBA pixels (a rendered PDF page, maybe a scan inside a PDF) for OCR, like an image page. */
export async function prepareRenderedPage(rgba: Uint8Array, width: number, height: number, dpi: number): Promise<OcrImage> {
  const gray = await clean(await decode(sharp(rgba, { raw: { width, height, channels: 4 } }).flatten({ background: '#ffffff' }).greyscale().toColourspace('b-w')));
  return { data: encodePgm(gray.data, gray.width, gray.height), width: gray.width, height: gray.height, dpi };
}

/**
 * True when a page has (almost) nothing on it: fewer than 1 in 5,000 pixels clearly darker than
 * the paper (the 90th percentile gray level), so OCR can be skipped. Relative to the paper, so that
 * faded gray print on a gray scan still counts as print.
 */
export function isBlank(image: OcrImage): boolean {
  const { data, width, height } = image;
  const start = data.length - width * height;
  const histogram = new Uint32Array(256);
  let sampled = 0;
  // Every 3rd pixel is plenty for a yes/no answer.
  for (let i = start; i < data.length; i += 3) {
    histogram[data[i] ?? 255]!++;
    sampled++;
  }
  let paper = 255;
  for (let level = 0, seen = 0; level < 256; level++) {
    seen += histogram[level] ?? 0;
    if (seen >= sampled * 0.9) {
      paper = level;
      break;
    }
  }
  let dark = 0;
  for (let level = 0; level < paper - 48; level++) dark += histogram[level] ?? 0;
  return dark < sampled / 5000;
}

function open(bytes: Uint8Array, page: number | undefined, maxPixels: number): Sharp {
  return sharp(bytes, {
    limitInputPixels: maxPixels,
    // Truncated or damaged data fails instead of yielding a half-gray page.
    failOn: 'error',
    ...(page !== undefined ? { page } : {}),
  });
}

async function metadataOf(bytes: Uint8Array, page: number | undefined): Promise<Metadata> {
  try {
    return await open(bytes, page, Number.MAX_SAFE_INTEGER).metadata();
  } catch (error) {
    throw mapSharpError(error);
  }
}

function checkPixels(meta: Metadata, maxPixels: number): void {
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) throw new UnreadableDocumentError('image has no size', 'corrupt');
  if (width * height > maxPixels) {
    throw new UnreadableDocumentError(`image of ${width} × ${height} pixels exceeds the limit of ${maxPixels}`, 'too-large');
  }
}

async function decode(pipeline: Sharp): Promise<{ data: Uint8Array; width: number; height: number }> {
  try {
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected one channel, got ${info.channels}`);
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw mapSharpError(error);
  }
}

function mapSharpError(error: unknown): UnreadableDocumentError {
  if (error instanceof UnreadableDocumentError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return new UnreadableDocumentError('image exceeds the pixel limit', 'too-large', { cause: error });
  return new UnreadableDocumentError('image cannot be decoded', 'corrupt', { cause: error });
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

interface Gray {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Noise and contrast, measured on the decoded page and fixed only when needed:
 * - noisy pages (scanner grain, JPEG speckle, camera noise) get a 3×3 median filter, which removes
 *   speckle without thickening strokes; clean pages are left alone because the filter eats the
 *   decimal points of 10-point text at 150 dpi;
 * - low-contrast pages (faded print, gray paper) are stretched so the paper is white and the ink
 *   black. Tesseract's default global threshold loses such text, its local Sauvola threshold loses
 *   faint text in noise.
 */
async function clean(gray: Gray): Promise<Gray> {
  let result = gray;
  if (noiseLevel(gray) >= NOISY) result = await decode(sharp(gray.data, { raw: { width: gray.width, height: gray.height, channels: 1 } }).median(3).toColourspace('b-w'));
  stretchContrast(result.data);
  return result;
}

/** Median filter above this noise level (median absolute difference of neighbouring pixels). */
const NOISY = 4;

/** Median absolute difference between horizontal neighbours, sampled: ~0 on clean pages, where most neighbours are both paper. */
export function noiseLevel({ data, width, height }: Gray): number {
  const histogram = new Uint32Array(256);
  let count = 0;
  for (let y = 0; y < height; y += 4) {
    const row = y * width;
    for (let x = 0; x + 1 < width; x += 3) {
      histogram[Math.abs((data[row + x] ?? 0) - (data[row + x + 1] ?? 0))]!++;
      count++;
    }
  }
  return percentile(histogram, count, 50);
}

/** Maps the 0.5th percentile (ink) to black and the 90th (paper) to white, when they are far from that already. */
export function stretchContrast(data: Uint8Array): void {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < data.length; i += 2) histogram[data[i] ?? 255]!++;
  const count = Math.ceil(data.length / 2);
  const ink = percentile(histogram, count, 0.5);
  const paper = percentile(histogram, count, 90);
  // Already good contrast, or no text at all (a blank or uniform page): leave it.
  if (paper - ink >= 200 || paper - ink < 24) return;
  const lut = new Uint8Array(256);
  for (let level = 0; level < 256; level++) lut[level] = clamp(Math.round(((level - ink) * 255) / (paper - ink)), 0, 255);
  for (let i = 0; i < data.length; i++) data[i] = lut[data[i] ?? 255] ?? 255;
}

function percentile(histogram: Uint32Array, count: number, pct: number): number {
  let seen = 0;
  for (let level = 0; level < 256; level++) {
    seen += histogram[level] ?? 0;
    if (seen >= (count * pct) / 100) return level;
  }
  return 255;
}
