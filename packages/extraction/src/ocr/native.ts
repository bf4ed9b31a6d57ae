import { spawn, spawnSync } from 'node:child_process';
import { Limiter } from './limiter.js';
import { parseHocr } from './hocr.js';
import { TESSERACT_PARAMETERS } from './parameters.js';
import { OcrTimeoutError } from './types.js';
import type { OcrEngine, OcrImage, OcrPageResult, RecognizeOptions } from './types.js';

const TESSERACT = 'tesseract';
/** hOCR of a dense page is a few hundred KB; anything far beyond that is not tesseract behaving. */
const MAX_STDOUT_BYTES = 32 * 1024 * 1024;
const MAX_STDERR_BYTES = 16 * 1024;

export interface NativeTesseract {
  version: string;
  languages: string[];
}

let probed: NativeTesseract | null | undefined;

/**
 * The installed tesseract CLI (version and languages), or null when `tesseract --version` does not
 * run. Probed once per process with two short synchronous spawns.
 */
export function probeNativeTesseract(): NativeTesseract | null {
  if (probed !== undefined) return probed;
  probed = null;
  try {
    const version = spawnSync(TESSERACT, ['--version'], { timeout: 5_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (version.status !== 0) return probed;
    const list = spawnSync(TESSERACT, ['--list-langs'], { timeout: 5_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const languages = list.status === 0 ? list.stdout.split('\n').slice(1).map((line) => line.trim()).filter(Boolean) : [];
    probed = { version: (version.stdout || version.stderr).split('\n')[0]?.trim() ?? 'tesseract', languages };
  } catch {
    probed = null;
  }
  return probed;
}

/**
 * Runs the tesseract CLI, one process per page, at most `concurrency` at a time. Each process is
 * single-threaded (OMP_THREAD_LIMIT=1: on 2 cores OpenMP threads make a page ~3× slower), reads
 * the image from stdin and writes TSV to stdout; it is killed on abort or timeout.
 */
export class NativeOcrEngine implements OcrEngine {
  readonly kind = 'native';
  private readonly limiter: Limiter;
  private readonly running = new Set<ReturnType<typeof spawn>>();
  private closed = false;

  constructor(
    private readonly languages: string[],
    concurrency: number,
  ) {
    this.limiter = new Limiter(concurrency);
  }

  recognize(image: OcrImage, options: RecognizeOptions): Promise<OcrPageResult> {
    if (this.closed) return Promise.reject(new Error('OCR engine is closed'));
    return this.limiter.run(() => this.run(image, options), options.signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.limiter.close(new Error('OCR engine is closed'));
    for (const child of this.running) child.kill('SIGKILL');
  }

  private run(image: OcrImage, { signal, timeoutMs }: RecognizeOptions): Promise<OcrPageResult> {
    signal?.throwIfAborted();
    const args = ['stdin', 'stdout', '-l', this.languages.join('+'), '--oem', '1', '--dpi', String(Math.round(image.dpi))];
    for (const [name, value] of Object.entries(TESSERACT_PARAMETERS)) args.push('-c', `${name}=${value}`);
    args.push('hocr');
    return new Promise<OcrPageResult>((resolve, reject) => {
      const child = spawn(TESSERACT, args, {
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      this.running.add(child);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let stdoutBytes = 0;
      let stderrBytes = 0;
      let failure: unknown = null;

      const fail = (error: unknown): void => {
        if (failure === null) failure = error;
        child.kill('SIGKILL');
      };
      const onAbort = (): void => fail(signal?.reason);
      const timer = setTimeout(() => fail(new OcrTimeoutError(Math.round(timeoutMs / 1000))), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });

      child.stdout.on('data', (chunk: Buffer) => {
        stdoutBytes += chunk.length;
        if (stdoutBytes > MAX_STDOUT_BYTES) fail(new Error('tesseract produced too much output'));
        else stdout.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderrBytes < MAX_STDERR_BYTES) stderr.push(chunk);
        stderrBytes += chunk.length;
      });
      // EPIPE when tesseract exits before reading all of stdin; the exit code tells the story.
      child.stdin.on('error', () => {});
      child.on('error', (error) => fail(error));
      child.on('close', (code, signalName) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.running.delete(child);
        if (failure !== null) return reject(failure);
        if (this.closed) return reject(new Error('OCR engine is closed'));
        if (code !== 0) {
          const message = Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(-3).join(' ');
          return reject(new Error(`tesseract exited with ${code ?? signalName}: ${message}`));
        }
        resolve({ lines: parseHocr(Buffer.concat(stdout).toString('utf8')), width: image.width, height: image.height, dpi: image.dpi });
      });
      child.stdin.end(image.data);
    });
  }
}
