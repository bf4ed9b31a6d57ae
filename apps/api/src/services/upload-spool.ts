import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

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
export class UploadSpool {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private path: string | null = null;
  private file: FileHandle | null = null;

  constructor(private readonly memoryLimitBytes: number) {}

  /** Adds the next chunk; resolves once it is held (at once while in memory). */
  async append(chunk: Buffer): Promise<void> {
    if (!this.path && this.bufferedBytes + chunk.length <= this.memoryLimitBytes) {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
      return;
    }
    if (!this.path) {
      this.path = newSpoolPath();
      this.file = await open(this.path, 'wx', 0o600);
      await this.writeAll(this.chunks);
      this.chunks = [];
    }
    await this.writeAll([chunk]);
  }

  /** Ends the writing: the temporary file, if any, is closed. */
  async finish(): Promise<void> {
    const file = this.file;
    this.file = null;
    await file?.close();
  }

  /** The whole upload, to send (again) once finished. */
  body(): Buffer | Readable {
    return this.path ? createReadStream(this.path) : Buffer.concat(this.chunks, this.bufferedBytes);
  }

  /** Frees the memory and deletes the temporary file, also after a failed or cut-off write. */
  async remove(): Promise<void> {
    this.chunks = [];
    await this.file?.close().catch(() => undefined);
    this.file = null;
    if (!this.path) return;
    await unlink(this.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
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
