import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Tesseract from 'tesseract.js';
import { Limiter } from './limiter.js';
import { parseHocr } from './hocr.js';
import { TESSERACT_PARAMETERS } from './parameters.js';
import { OcrTimeoutError } from './types.js';
import type { OcrEngine, OcrImage, OcrPageResult, RecognizeOptions } from './types.js';

const require = createRequire(import.meta.url);
/** Language data shipped in npm packages: @tesseract.js-data/<lang>/4.0.0_best_int/<lang>.traineddata.gz. */
const DATA_VARIANT = '4.0.0_best_int';
/** createWorker can hang (e.g. on bad language data); after this the worker thread ends itself too. */
const CREATE_TIMEOUT_MS = 30_000;

type TessWorker = Tesseract.Worker & { worker?: { ref(): void; unref(): void; on(event: string, listener: (...args: unknown[]) => void): void } };

/** Directory of the language data of one @tesseract.js-data package, or null when it is not installed. */
export function wasmLanguageDir(language: string): string | null {
  try {
    return path.join(path.dirname(require.resolve(`@tesseract.js-data/${language}/package.json`)), DATA_VARIANT);
  } catch {
    return null;
  }
}

/**
 * Source of the worker thread's entry module (a data: URL, so it ships inside this file): it removes
 * every way to reach the network (fetch, http, https, net, tls) and then loads tesseract.js's own
 * Node worker script. Language data and the WASM core are read from local packages, so nothing
 * needs the network; if a misconfiguration ever asks for it, the request fails instead of reaching
 * a CDN. A worker that has not finished initialising in time, or whose initialisation failed, ends
 * itself, because tesseract.js never settles createWorker in that case and the thread would leak.
 */
export function bootstrapSource(workerScript = require.resolve('tesseract.js/src/worker-script/node/index.js')): string {
  return `
import { createRequire } from 'node:module';
const require = createRequire(${JSON.stringify(pathToFileURL(workerScript).href)});
const blocked = () => { throw new Error('network access is disabled in the OCR worker'); };
globalThis.fetch = async () => blocked();
for (const name of ['node:http', 'node:https']) { const mod = require(name); mod.request = blocked; mod.get = blocked; }
for (const name of ['node:net', 'node:tls']) { const mod = require(name); mod.connect = blocked; if (mod.createConnection) mod.createConnection = blocked; }
const { parentPort } = require('node:worker_threads');
const post = parentPort.postMessage.bind(parentPort);
let ready = false;
const giveUp = setTimeout(() => process.exit(1), ${CREATE_TIMEOUT_MS});
parentPort.postMessage = (message) => {
  if (!ready && message && message.status === 'reject') { post(message); setTimeout(() => process.exit(1), 10); return; }
  if (!ready && message && message.action === 'initialize' && message.status === 'resolve') { ready = true; clearTimeout(giveUp); }
  post(message);
};
require(${JSON.stringify(workerScript)});
`;
}

/**
 * tesseract.js workers (WASM, one thread each), at most `size` of them, created on first need and
 * reused for every later page. A page that is aborted or times out terminates its worker (a
 * running WASM recognition cannot be interrupted otherwise); the next page gets a fresh one.
 * Idle workers are unref'd, so an idle pool never keeps the process alive.
 */
export class WasmOcrEngine implements OcrEngine {
  readonly kind = 'wasm';
  private readonly limiter: Limiter;
  private readonly idle: TessWorker[] = [];
  private readonly all = new Set<TessWorker>();
  private langDir: string | null = null;
  private ownsLangDir = false;
  private closed = false;
  /** Aborts pages in flight when the engine closes (their workers are terminated, so they would never settle). */
  private readonly closing = new AbortController();
  /** Per busy worker: aborts its page if the thread dies (a WASM out-of-memory, say). */
  private readonly busy = new Map<TessWorker, AbortController>();

  constructor(
    private readonly languages: string[],
    size: number,
  ) {
    this.limiter = new Limiter(size);
  }

  /** Workers currently alive (for tests and metrics). */
  get workerCount(): number {
    return this.all.size;
  }

  recognize(image: OcrImage, options: RecognizeOptions): Promise<OcrPageResult> {
    if (this.closed) return Promise.reject(new Error('OCR engine is closed'));
    return this.limiter.run(() => this.run(image, options), options.signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort(new Error('OCR engine is closed'));
    this.limiter.close(new Error('OCR engine is closed'));
    const workers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate().catch(() => {})));
    this.removeLangDir();
  }

  private readonly removeLangDir = (): void => {
    process.off('exit', this.removeLangDir);
    if (this.ownsLangDir && this.langDir) rmSync(this.langDir, { recursive: true, force: true });
    this.langDir = null;
  };

  private async run(image: OcrImage, options: RecognizeOptions): Promise<OcrPageResult> {
    const stop = options.signal ? AbortSignal.any([options.signal, this.closing.signal]) : this.closing.signal;
    const { timeoutMs } = options;
    stop.throwIfAborted();
    const worker = this.idle.pop() ?? (await this.create(stop));
    const died = new AbortController();
    this.busy.set(worker, died);
    const signal = AbortSignal.any([stop, died.signal]);
    worker.worker?.ref();
    let healthy = false;
    try {
      const result = await interruptible(
        (async () => {
          await worker.setParameters({ ...TESSERACT_PARAMETERS, user_defined_dpi: String(Math.round(image.dpi)) });
          return worker.recognize(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {}, { text: false, hocr: true });
        })(),
        signal,
        timeoutMs,
      );
      healthy = true;
      return { lines: parseHocr(result.data.hocr ?? ''), width: image.width, height: image.height, dpi: image.dpi };
    } finally {
      this.busy.delete(worker);
      if (healthy && !this.closed && this.all.has(worker)) {
        worker.worker?.unref();
        this.idle.push(worker);
      } else {
        this.discard(worker);
      }
    }
  }

  private discard(worker: TessWorker): void {
    this.all.delete(worker);
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
    void worker.terminate().catch(() => {});
  }

  private async create(signal: AbortSignal | undefined): Promise<TessWorker> {
    const created = Tesseract.createWorker(this.languages, Tesseract.OEM.LSTM_ONLY, {
      langPath: this.languageDir(),
      gzip: true,
      cacheMethod: 'none',
      // A data: URL module; tesseract.js hands workerPath straight to new Worker() under Node.
      workerPath: new URL(`data:text/javascript,${encodeURIComponent(bootstrapSource())}`) as unknown as string,
      // Without an errorHandler tesseract.js throws from a message listener, which kills the process.
      errorHandler: () => {},
      logger: () => {},
    }) as Promise<TessWorker>;
    let worker: TessWorker;
    try {
      worker = await interruptible(created, signal, CREATE_TIMEOUT_MS, () => new Error('OCR worker did not start in time'));
    } catch (error) {
      // Aborted or timed out while starting: end the worker if it still comes up.
      created.then((late) => void late.terminate(), () => {});
      throw error;
    }
    if (this.closed) {
      await worker.terminate();
      throw new Error('OCR engine is closed');
    }
    this.all.add(worker);
    // A crashed thread (out of memory in WASM, for instance) leaves the worker unusable.
    worker.worker?.on('exit', () => {
      this.busy.get(worker)?.abort(new Error('OCR worker thread ended unexpectedly'));
      this.discard(worker);
    });
    return worker;
  }

  /** tesseract.js takes one directory for all languages; the npm packages keep one each, so link them together. */
  private languageDir(): string {
    if (this.langDir) return this.langDir;
    const dirs = this.languages.map((language) => {
      const dir = wasmLanguageDir(language);
      if (!dir) throw new Error(`no tesseract.js language data for ${language} (install @tesseract.js-data/${language})`);
      return dir;
    });
    if (dirs.length === 1 && dirs[0]) {
      this.langDir = dirs[0];
      return this.langDir;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'billflow-tessdata-'));
    this.languages.forEach((language, i) => {
      symlinkSync(path.join(dirs[i] ?? '', `${language}.traineddata.gz`), path.join(dir, `${language}.traineddata.gz`));
    });
    this.langDir = dir;
    this.ownsLangDir = true;
    // Also when the process ends without close() (a crash, process.exit()).
    process.once('exit', this.removeLangDir);
    return dir;
  }
}

/** Settles with `promise`, or rejects on abort (with the signal's reason) or after `timeoutMs`. */
function interruptible<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  timeoutError: () => Error = () => new OcrTimeoutError(Math.round(timeoutMs / 1000)),
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(timeoutError())), timeoutMs);
    const onAbort = (): void => finish(() => reject(signal?.reason));
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}
