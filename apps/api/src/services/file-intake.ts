import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout } from 'node:timers/promises';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors.js';
import type { ObjectStorage } from './object-storage.js';
import { UploadSpool, type SpoolMemoryBudget } from './upload-spool.js';

/** What we accept, by magic bytes; the client's content type and file name are never trusted. */
export const acceptedMimeTypes = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'image/webp'] as const;
export type AcceptedMimeType = (typeof acceptedMimeTypes)[number];

/** file-type needs at most this many leading bytes for the formats above. */
const SNIFF_BYTES = 4_100;

export interface StoredFile {
  sha256: string;
  sizeBytes: number;
  mimeType: AcceptedMimeType;
}

const STORAGE_UNAVAILABLE = 'the file store is not reachable; try again shortly';
const storageUnavailable = () => new AppError(503, 'STORAGE_UNAVAILABLE', STORAGE_UNAVAILABLE);

/**
 * The PutObject failed. It may still have stored the object (only its answer lost); `objectMayRemain`
 * says the delete that followed failed too, so whatever is under the key must be removed later.
 */
export class StorageWriteError extends AppError {
  constructor(readonly objectMayRemain: boolean) {
    super(503, 'STORAGE_UNAVAILABLE', STORAGE_UNAVAILABLE);
  }
}

const tooLarge = (maxBytes: number) => new AppError(413, 'FILE_TOO_LARGE', `the file is larger than ${maxBytes} bytes`, { maxBytes });

async function acceptedTypeOf(head: Buffer): Promise<AcceptedMimeType> {
  if (head.length === 0) throw new AppError(400, 'EMPTY_FILE', 'the file is empty');
  const sniffed = await fileTypeFromBuffer(head);
  const mimeType = acceptedMimeTypes.find((accepted) => accepted === sniffed?.mime);
  if (!mimeType) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'only PDF, PNG, JPEG, TIFF and WebP files are accepted', { detected: sniffed?.mime ?? 'unknown' });
  }
  return mimeType;
}

/**
 * Reads the upload once: its leading bytes decide the type (before anything is spooled),
 * and every byte is hashed, counted and spooled. Throws at the first byte past maxBytes;
 * the source's own errors (a refused or cut-off body) come through as they are.
 */
async function spoolChecked(source: Readable, spool: UploadSpool, maxBytes: number): Promise<StoredFile> {
  // The spool's own failures (a full temporary disk) are ours: 503, like S3 down.
  const spooling = (work: Promise<void>) =>
    work.catch(() => {
      throw storageUnavailable();
    });
  const append = (chunk: Buffer) => spooling(spool.append(chunk));
  const hash = createHash('sha256');
  let head: Buffer[] | null = [];
  let sizeBytes = 0;
  let mimeType: AcceptedMimeType | null = null;
  const typeFromHead = async () => {
    mimeType = await acceptedTypeOf(Buffer.concat(head!, sizeBytes));
    for (const chunk of head!) await append(chunk);
    head = null;
  };
  // Not destroyed when the loop throws: the caller still drains the request body.
  for await (const chunk of source.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    sizeBytes += chunk.length;
    if (sizeBytes > maxBytes) throw tooLarge(maxBytes);
    hash.update(chunk);
    if (!head) {
      await append(chunk);
      continue;
    }
    head.push(chunk);
    if (sizeBytes >= SNIFF_BYTES) await typeFromHead();
  }
  if (head) await typeFromHead();
  await spooling(spool.finish());
  return { sha256: hash.digest('hex'), sizeBytes, mimeType: mimeType! };
}

function discard(source: Readable): void {
  source.on('error', () => {});
  source.resume();
}

/** Delays before the second and third PutObject attempt. */
const PUT_RETRY_DELAYS_MS = [100, 400];

/**
 * The S3 client cannot retry a streamed body, so the spooled file is sent
 * again from the spool: a passing S3 error (500, SlowDown, a reset connection)
 * does not cost the client its upload.
 */
async function putSpooledFile(storage: ObjectStorage, key: string, spool: UploadSpool, stored: StoredFile, metadata: Record<string, string>) {
  for (let attempt = 0; ; attempt++) {
    const body = spool.body();
    try {
      return await storage.put(key, body, stored.mimeType, metadata, { contentLength: stored.sizeBytes, sha256: stored.sha256 });
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
 * The file is spooled (in memory within the process's budget, else to a private temporary
 * file) while it is hashed and counted, then sent in one PutObject with its length:
 * memory stays bounded whatever the size, and a refused file (too large, cut off)
 * never reaches storage.
 * Nothing is left in storage or in the temporary directory when this throws.
 */
export async function storeUploadedFile(
  storage: ObjectStorage,
  key: string,
  source: Readable,
  options: { maxBytes: number; metadata: Record<string, string>; memory: SpoolMemoryBudget },
): Promise<StoredFile> {
  const spool = new UploadSpool(options.memory);
  try {
    let stored: StoredFile;
    try {
      stored = await spoolChecked(source, spool, options.maxBytes);
    } catch (error) {
      discard(source);
      throw error;
    }
    try {
      await putSpooledFile(storage, key, spool, stored, options.metadata);
    } catch {
      // A PutObject that timed out here may still have completed at S3.
      const deleted = await storage.delete(key).then(
        () => true,
        () => false,
      );
      throw new StorageWriteError(!deleted);
    }
    return stored;
  } finally {
    await spool.remove();
  }
}
