import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout } from 'node:timers/promises';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors.js';
import type { ObjectStorage } from './object-storage.js';
import { UploadSpool } from './upload-spool.js';

/** What we accept, by magic bytes; the client's content type and file name are never trusted. */
export const acceptedMimeTypes = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'image/webp'] as const;
export type AcceptedMimeType = (typeof acceptedMimeTypes)[number];

/** file-type needs at most this many leading bytes for the formats above. */
const SNIFF_BYTES = 4_100;

/** Files up to this size are held in memory while checked, larger ones in a temporary file. */
const IN_MEMORY_BYTES = 256 * 1024;

export interface StoredFile {
  sha256: string;
  sizeBytes: number;
  mimeType: AcceptedMimeType;
}

/** Hashes and counts what passes through; fails once more than maxBytes went by. */
class DigestingCounter extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new AppError(413, 'FILE_TOO_LARGE', `the file is larger than ${this.maxBytes} bytes`, { maxBytes: this.maxBytes }));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Reads the leading bytes without ending the stream; returns them and a stream of the whole file. */
async function peek(source: Readable, bytes: number): Promise<{ head: Buffer; whole: Readable }> {
  // Not destroyed when `whole` is abandoned: the caller still drains the request body.
  const iterator = source.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks, length);
  async function* rest() {
    yield head;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head, whole: Readable.from(rest(), { objectMode: false }) };
}

function discard(source: Readable): void {
  source.on('error', () => {});
  source.resume();
}

const storageUnavailable = () => new AppError(503, 'STORAGE_UNAVAILABLE', 'the file store is not reachable; try again shortly');

/** Delays before the second and third PutObject attempt. */
const PUT_RETRY_DELAYS_MS = [100, 400];

/**
 * The S3 client cannot retry a streamed body, so the spooled file is sent
 * again from the spool: a passing S3 error (500, SlowDown, a reset connection)
 * does not cost the client its upload.
 */
async function putSpooledFile(storage: ObjectStorage, key: string, spool: UploadSpool, mimeType: string, metadata: Record<string, string>, sizeBytes: number) {
  for (let attempt = 0; ; attempt++) {
    const body = spool.body();
    try {
      return await storage.put(key, body, mimeType, metadata, sizeBytes);
    } catch (error) {
      if (body instanceof Readable) body.destroy();
      const delay = PUT_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) throw error;
      await setTimeout(delay);
    }
  }
}

/**
 * Stores an uploaded file under `key`, sniffing its type from the first bytes.
 * The file is spooled (in memory up to IN_MEMORY_BYTES, else to a private temporary
 * file) while it is hashed and counted, then sent in one PutObject with its length:
 * memory stays bounded whatever the size, and a refused file (too large, cut off)
 * never reaches storage.
 * Nothing is left in storage or in the temporary directory when this throws.
 */
export async function storeUploadedFile(
  storage: ObjectStorage,
  key: string,
  source: Readable,
  options: { maxBytes: number; metadata: Record<string, string> },
): Promise<StoredFile> {
  const { head, whole } = await peek(source, SNIFF_BYTES);
  if (head.length === 0) {
    discard(source);
    throw new AppError(400, 'EMPTY_FILE', 'the file is empty');
  }
  const sniffed = await fileTypeFromBuffer(head);
  const mimeType = acceptedMimeTypes.find((accepted) => accepted === sniffed?.mime);
  if (!mimeType) {
    discard(source);
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'only PDF, PNG, JPEG, TIFF and WebP files are accepted', {
      detected: sniffed?.mime ?? 'unknown',
    });
  }

  const spool = new UploadSpool(IN_MEMORY_BYTES);
  try {
    const counter = new DigestingCounter(options.maxBytes);
    try {
      await pipeline(whole, counter, spool);
    } catch (error) {
      discard(source);
      throw error instanceof AppError ? error : storageUnavailable();
    }
    const stored = { sha256: counter.digest(), sizeBytes: counter.bytes, mimeType };
    try {
      await putSpooledFile(storage, key, spool, mimeType, options.metadata, stored.sizeBytes);
    } catch {
      // A PutObject that timed out here may still have completed at S3.
      await storage.delete(key).catch(() => undefined);
      throw storageUnavailable();
    }
    return stored;
  } finally {
    await spool.remove();
  }
}
