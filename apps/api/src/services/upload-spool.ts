import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Uploads are spooled to os.tmpdir() under this prefix, each removed once stored (or refused). */
export const SPOOL_FILE_PREFIX = 'billflow-upload-';

export function newSpoolPath(): string {
  return join(tmpdir(), `${SPOOL_FILE_PREFIX}${randomUUID()}`);
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
