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
 * The memory all upload spools of a process may hold together. One upload takes at
 * most a quarter of it, so a few large files cannot starve the rest.
 */
export class SpoolMemoryBudget {
  private heldBytes = 0;
  readonly perUploadBytes: number;

  constructor(readonly totalBytes: number) {
    this.perUploadBytes = Math.floor(totalBytes / 4);
  }

  get held(): number {
    return this.heldBytes;
  }

  tryReserve(bytes: number): boolean {
    if (this.heldBytes + bytes > this.totalBytes) return false;
    this.heldBytes += bytes;
    return true;
  }

  release(bytes: number): void {
    this.heldBytes -= bytes;
  }
}

/**
 * Holds an upload while it is checked: in memory while it fits the upload's share of the
 * process's budget, beyond that in a private temporary file (so memory stays bounded
 * whatever the sizes and the number of uploads). Most bills and receipts then cost no
 * file system calls at all. `remove()` must follow.
 */
export class UploadSpool {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private path: string | null = null;
  private file: FileHandle | null = null;

  constructor(private readonly budget: SpoolMemoryBudget) {}

  /** Adds the next chunk; resolves once it is held (at once while in memory). */
  async append(chunk: Buffer): Promise<void> {
    if (!this.path && this.bufferedBytes + chunk.length <= this.budget.perUploadBytes && this.budget.tryReserve(chunk.length)) {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
      return;
    }
    if (!this.path) {
      this.path = newSpoolPath();
      this.file = await open(this.path, 'wx', 0o600);
      await this.writeAll(this.chunks);
      this.freeMemory();
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
    if (this.path) return createReadStream(this.path);
    // Joined once and kept joined: a second send (S3 failing in passing) copies nothing.
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.bufferedBytes)];
    return this.chunks[0]!;
  }

  /** Frees the memory and deletes the temporary file, also after a failed or cut-off write. */
  async remove(): Promise<void> {
    this.freeMemory();
    await this.file?.close().catch(() => undefined);
    this.file = null;
    if (!this.path) return;
    await unlink(this.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  private freeMemory(): void {
    this.budget.release(this.bufferedBytes);
    this.chunks = [];
    this.bufferedBytes = 0;
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
