import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable, type Readable } from 'node:stream';

/** Uploads larger than UploadSpool's memory limit are spooled to os.tmpdir() under this prefix, each removed once stored (or refused). */
export const SPOOL_FILE_PREFIX = 'billflow-upload-';

export function newSpoolPath(): string {
  return join(tmpdir(), `${SPOOL_FILE_PREFIX}${randomUUID()}`);
}

/**
 * Holds an upload while it is checked: in memory up to memoryLimitBytes, beyond that in a
 * private temporary file (so memory stays bounded whatever the size). Small files, most
 * bills and receipts, then cost no file system calls at all. `remove()` must follow.
 */
export class UploadSpool extends Writable {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private path: string | null = null;
  private file: FileHandle | null = null;
  private spilling: Promise<void> | null = null;

  constructor(private readonly memoryLimitBytes: number) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.path && this.bufferedBytes + chunk.length <= this.memoryLimitBytes) {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
      callback();
      return;
    }
    this.spilling = this.writeToFile(chunk);
    this.spilling.then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    const file = this.file;
    this.file = null;
    if (!file) return callback();
    file.close().then(() => callback(), callback);
  }

  /** The whole upload, to send (again) once everything was written. */
  body(): Buffer | Readable {
    return this.path ? createReadStream(this.path) : Buffer.concat(this.chunks, this.bufferedBytes);
  }

  /** Frees the memory and deletes the temporary file, also after a failed or cut-off write. */
  async remove(): Promise<void> {
    this.chunks = [];
    await this.spilling?.catch(() => undefined);
    await this.file?.close().catch(() => undefined);
    this.file = null;
    if (!this.path) return;
    await unlink(this.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  private async writeToFile(chunk: Buffer): Promise<void> {
    if (!this.path) {
      this.path = newSpoolPath();
      this.file = await open(this.path, 'wx', 0o600);
      await this.writeAll([...this.chunks, chunk]);
      this.chunks = [];
      return;
    }
    await this.writeAll([chunk]);
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    for (const buffer of buffers) {
      for (let offset = 0; offset < buffer.length; ) offset += (await this.file!.write(buffer, offset)).bytesWritten;
    }
  }
}

/**
 * Removes spooled files older than maxAgeMs: those of uploads whose process was killed
 * (every Billflow process on the host shares the temporary directory). Returns how many.
 */
export async function removeStaleSpoolFiles(maxAgeMs: number): Promise<number> {
  const directory = tmpdir();
  const cutoff = Date.now() - maxAgeMs;
  let removed = 0;
  for (const name of await readdir(directory)) {
    if (!name.startsWith(SPOOL_FILE_PREFIX)) continue;
    const path = join(directory, name);
    const modified = await stat(path).then((stats) => stats.mtimeMs, () => Infinity);
    if (modified >= cutoff) continue;
    await rm(path, { force: true });
    removed += 1;
  }
  return removed;
}
