import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { UnreadableDocumentError } from '../src/errors.js';
import { inspectImage, isBlank, noiseLevel, prepareImagePage, stretchContrast } from '../src/image/prepare.js';
import { bombPng, multiPageTiff } from './fixtures/ocr-scans.js';

const limits = { maxPixels: 50_000_000, maxPages: 50 };

async function rejection(promise: Promise<unknown>): Promise<UnreadableDocumentError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnreadableDocumentError);
  return error as UnreadableDocumentError;
}

/** A page-like test image: white with a black bar of "text". */
async function page(width = 800, height = 1000, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const bar = await sharp({ create: { width: Math.floor(width / 2), height: 20, channels: 3, background: '#000000' } }).png().toBuffer();
  const image = sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite([{ input: bar, top: 100, left: 50 }]);
  return format === 'png' ? image.png().toBuffer() : image.jpeg().toBuffer();
}

/** The PGM header of a prepared page: [width, height]. */
function pgmSize(data: Uint8Array): [number, number] {
  const match = /^P5\n(\d+) (\d+)\n255\n/.exec(Buffer.from(data.subarray(0, 32)).toString('latin1'));
  return [Number(match?.[1]), Number(match?.[2])];
}

describe('image limits and errors', () => {
  it('rejects a decompression bomb from its header, before decoding, quickly and without memory growth', async () => {
    const bomb = bombPng(50_000, 50_000);
    expect(bomb.length).toBeLessThan(200);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const inspect = await rejection(inspectImage(bomb, limits));
    expect(inspect.reason).toBe('too-large');
    // prepareImagePage checks the page header too (multi-page TIFFs can hide a bomb on page 5).
    expect((await rejection(prepareImagePage(bomb, 0, limits))).reason).toBe('too-large');
    expect(performance.now() - started).toBeLessThan(500);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * 1024 * 1024);
  });

  it('applies the configured pixel limit', async () => {
    const image = await page(800, 1000);
    await expect(inspectImage(image, { maxPixels: 800 * 1000, maxPages: 1 })).resolves.toMatchObject({ format: 'png', pageCount: 1 });
    expect((await rejection(inspectImage(image, { maxPixels: 799 * 1000, maxPages: 1 }))).reason).toBe('too-large');
  });

  it('reports a truncated PNG or JPEG as corrupt', async () => {
    for (const format of ['png', 'jpeg'] as const) {
      const image = await page(800, 1000, format);
      const truncated = image.subarray(0, Math.floor(image.length / 2));
      // The header is intact, so inspecting passes; decoding fails.
      await inspectImage(truncated, limits);
      expect((await rejection(prepareImagePage(truncated, 0, limits))).reason).toBe('corrupt');
    }
  });

  it('reports bytes that are no image as corrupt, and a format we do not take as unsupported', async () => {
    expect((await rejection(inspectImage(new TextEncoder().encode('%PDF-1.7 not an image'), limits))).reason).toBe('corrupt');
    expect((await rejection(inspectImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), limits))).reason).toBe('corrupt');
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#ffffff' } }).gif().toBuffer();
    expect((await rejection(inspectImage(gif, limits))).reason).toBe('unsupported');
  });
});

describe('image preparation', () => {
  it('applies EXIF orientation before OCR', async () => {
    // A landscape JPEG that says "rotate 90° clockwise to display": the page is portrait.
    const landscape = await sharp({ create: { width: 1000, height: 1500, channels: 3, background: '#ffffff' } })
      .rotate(270)
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(landscape).metadata()).width).toBe(1500);
    const prepared = await prepareImagePage(landscape, 0, limits);
    const [width, height] = pgmSize(prepared.data);
    expect(height).toBeGreaterThan(width);
  });

  it('upscales small scans to about 150 dpi for a letter page and keeps large ones', async () => {
    const small = await prepareImagePage(await page(600, 776), 0, limits);
    expect(small.height).toBeGreaterThanOrEqual(1700);
    expect(small.dpi).toBeGreaterThanOrEqual(140);
    const normal = await prepareImagePage(await page(1275, 1650), 0, limits);
    expect([normal.width, normal.height]).toEqual([1275, 1650]);
    expect(pgmSize(normal.data)).toEqual([1275, 1650]);
    const photo = await prepareImagePage(await page(3024, 4032, 'jpeg'), 0, limits);
    expect(Math.max(photo.width, photo.height)).toBe(2400);
  });

  it('reads every page of a multi-page TIFF up to maxPages', async () => {
    const tiff = await multiPageTiff([await page(400, 500), await page(400, 500), await page(400, 500)]);
    expect(await inspectImage(tiff, limits)).toEqual({ format: 'tiff', pageCount: 3, pagesToRead: 3 });
    expect(await inspectImage(tiff, { ...limits, maxPages: 2 })).toEqual({ format: 'tiff', pageCount: 3, pagesToRead: 2 });
    const third = await prepareImagePage(tiff, 2, limits);
    expect(third.width).toBeGreaterThan(0);
  });

  it('tells blank pages from pages with faint print', async () => {
    const blank = await prepareImagePage(await sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#f4f4f4' } }).png().toBuffer(), 0, limits);
    expect(isBlank(blank)).toBe(true);
    const bar = await sharp({ create: { width: 600, height: 20, channels: 3, background: '#b0b0b0' } }).png().toBuffer();
    const faint = await sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#f0f0f0' } }).composite([{ input: bar, top: 200, left: 100 }]).png().toBuffer();
    expect(isBlank(await prepareImagePage(faint, 0, limits))).toBe(false);
  });

  it('stretches faded print to black on white and leaves good contrast alone', () => {
    const faded = new Uint8Array(1000).fill(240);
    faded.fill(170, 0, 20);
    stretchContrast(faded);
    expect(faded[0]).toBe(0);
    expect(faded[500]).toBe(255);
    const crisp = new Uint8Array(1000).fill(255);
    crisp.fill(0, 0, 20);
    const copy = crisp.slice();
    stretchContrast(crisp);
    expect(crisp).toEqual(copy);
  });

  it('measures noise', () => {
    const clean = { data: new Uint8Array(100 * 100).fill(255), width: 100, height: 100 };
    expect(noiseLevel(clean)).toBe(0);
    let seed = 7;
    const noisy = { data: clean.data.map(() => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), 230 + (seed % 40))), width: 100, height: 100 };
    expect(noiseLevel(noisy)).toBeGreaterThanOrEqual(4);
  });
});
