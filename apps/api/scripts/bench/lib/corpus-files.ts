import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../../src/dev/database-setup.js';

/** One file as a client uploads it. */
export interface UploadFile {
  bytes: Buffer;
  filename: string;
  mimeType: string;
}

export interface CorpusFiles {
  /** Text-layer PDFs: invoices, bills and receipts in ten locales, each distinct. */
  text: UploadFile[];
  /** Degraded scans of corpus documents (PNG, JPEG or image-only PDF), each distinct. */
  scans: UploadFile[];
}

const MIME_TYPES: Record<string, string> = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg' };
const COMPLETE = '.complete';

async function readFiles(directory: string): Promise<UploadFile[]> {
  if (!existsSync(directory)) return [];
  const names = (await readdir(directory)).filter((name) => !name.endsWith('.json')).sort();
  return Promise.all(
    names.map(async (filename) => ({ bytes: await readFile(join(directory, filename)), filename, mimeType: MIME_TYPES[filename.split('.').pop()!]! })),
  );
}

/**
 * The extraction corpus (packages/extraction/test/corpus), written once by its
 * generate-corpus script to a cache directory per seed and size, so the files are
 * realistic and the same on every run. Scans take ~0.5 s each to render the first time.
 */
export async function corpusFiles(seed: number, textCount: number, scanCount: number): Promise<CorpusFiles> {
  const directory = join(tmpdir(), `billflow-bench-corpus-${seed}-${textCount}-${scanCount}`);
  if (!existsSync(join(directory, COMPLETE))) {
    await rm(directory, { recursive: true, force: true });
    const args = ['--import', 'tsx', '--conditions=source', 'packages/extraction/scripts/generate-corpus.ts'];
    args.push('--out', directory, '--text', String(textCount), '--scans', String(scanCount), '--seed', String(seed));
    await promisify(execFile)(process.execPath, args, { cwd: repoRoot });
    await writeFile(join(directory, COMPLETE), '');
  }
  const [text, scans] = await Promise.all([readFiles(join(directory, 'text')), readFiles(join(directory, 'scan'))]);
  if (text.length !== textCount || scans.length !== scanCount) throw new Error(`corpus in ${directory} holds ${text.length} text files and ${scans.length} scans`);
  return { text, scans };
}
