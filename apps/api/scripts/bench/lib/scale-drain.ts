import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { scanQueueNames } from '../../../src/services/scan-queues.js';
import { waitUntilHealthy } from '../../lib/healthy.js';
import type { ServerProcess } from '../../lib/server-process.js';
import { createBenchEntity, deleteBenchEntity } from './bench-entities.js';
import type { BenchServices } from './bench-services.js';
import type { UploadFile } from './corpus-files.js';
import { waitUntilSettled } from './document-outcomes.js';
import { firstJobPerProcess } from './process-jobs.js';
import { cpuMs } from './process-stats.js';
import { progress } from './progress-line.js';
import { scaleResult, type DrainResult } from './scale-result.js';
import { spawnScaleServer } from './scale-server.js';
import { uploadStream } from './upload-stream.js';

export interface DrainOptions {
  /** Names the run in its queue prefix and progress line. */
  label: string;
  processes: number;
  /** WORKER_CONCURRENCY of each worker process; the warm-up uploads one document per slot. */
  workerConcurrency: number;
  /** OCR_WORKERS of each worker process, when set. */
  ocrWorkers?: number;
  uploadConcurrency: number;
  /** What the warm-up uploads: a process's first job of this kind loads what later ones reuse. */
  warmUpFiles: UploadFile[];
}

const WARM_UP_ROUNDS = 5;
/** The processes write JobExecution rows every 500 ms; this is plenty. */
const ROWS_WRITTEN_TIMEOUT_MS = 10_000;

/** Resolves once every attempt of these jobs has its JobExecution row (the processes write them in batches). */
async function untilExecutionsWritten(services: BenchServices, documentIds: string[]): Promise<void> {
  const deadline = Date.now() + ROWS_WRITTEN_TIMEOUT_MS;
  const written = () => services.db.jobExecution.count({ where: { jobId: { in: documentIds }, status: { in: ['completed', 'failed'] } } });
  while ((await written()) < documentIds.length) {
    if (Date.now() > deadline) throw new Error(`JobExecution rows of the warm-up were not written within ${ROWS_WRITTEN_TIMEOUT_MS} ms`);
    await sleep(100);
  }
}

/**
 * Rounds of bills (their own queue; the invoice backlog waits in its paused one) until every
 * worker process has run a job: its first job loads the extraction package (and its first scan
 * starts the OCR engine), which should not count against the drain. Resolves with the duration
 * of each process's first job.
 */
async function warmUp(services: BenchServices, tenantId: string, api: ServerProcess, workers: ServerProcess[], options: DrainOptions): Promise<number[]> {
  const batch = options.warmUpFiles.slice(0, workers.length * options.workerConcurrency);
  const firstJobMs = new Map<number, number>();
  for (let round = 1; round <= WARM_UP_ROUNDS; round++) {
    const entityId = await createBenchEntity(services.db, tenantId);
    try {
      const uploads = await uploadStream(batch, { urls: [api.url], entityId, token: services.token, kind: 'bills', concurrency: batch.length });
      const documentIds = uploads.map((upload) => upload.documentId);
      await waitUntilSettled(services.db, documentIds, { stallTimeoutMs: 60_000 });
      await untilExecutionsWritten(services, documentIds);
      for (const [pid, ms] of await firstJobPerProcess(services.db, documentIds)) if (!firstJobMs.has(pid)) firstJobMs.set(pid, ms);
      if (workers.every((worker) => firstJobMs.has(worker.child.pid!))) return workers.map((worker) => firstJobMs.get(worker.child.pid!)!);
    } finally {
      await deleteBenchEntity(services.db, entityId);
    }
  }
  throw new Error(`a worker process took no warm-up job in ${WARM_UP_ROUNDS} rounds`);
}

async function medianJobMs(services: BenchServices, documentIds: string[]): Promise<number> {
  const rows = await services.db.jobExecution.findMany({ where: { jobId: { in: documentIds }, status: 'completed' }, select: { durationMs: true }, orderBy: { durationMs: 'asc' } });
  return rows[Math.floor(rows.length / 2)]?.durationMs ?? Number.NaN;
}

/**
 * The drain of a backlog: the documents are uploaded first through one API-only process
 * (WORKER_ROLE=api), then N worker-only processes (WORKER_ROLE=worker) started at once
 * and warmed up work it off. The drain runs from the first job's start to the last job's
 * end, as the processes' JobExecution rows record them; CPU is the worker processes' and
 * their children's (native tesseract).
 */
export async function drainRound(services: BenchServices, tenantId: string, files: UploadFile[], options: DrainOptions): Promise<DrainResult> {
  const { label, processes } = options;
  const prefix = `scale-drain-${label}-${processes}`;
  const backlog = new Queue(scanQueueNames.invoice, { connection: services.redis.client, prefix });
  const servers: ServerProcess[] = [];
  const entityId = await createBenchEntity(services.db, tenantId);
  try {
    // Multi-page scans of the corpus reach ~15 MB; the 10 MiB default would refuse some.
    const env = { ...services.env, QUEUE_PREFIX: prefix, MAX_UPLOAD_BYTES: String(64 * 1024 * 1024) };
    const api = await spawnScaleServer({ ...env, WORKER_ROLE: 'api' });
    servers.push(api);
    await waitUntilHealthy(api.url);
    const uploads = await uploadStream(files, { urls: [api.url], entityId, token: services.token, kind: 'invoices', concurrency: options.uploadConcurrency });
    const documentIds = uploads.map((upload) => upload.documentId);
    await backlog.pause();

    const workerEnv: Record<string, string> = { ...env, WORKER_ROLE: 'worker', WORKER_CONCURRENCY: String(options.workerConcurrency) };
    if (options.ocrWorkers !== undefined) workerEnv.OCR_WORKERS = String(options.ocrWorkers);
    const workers = await Promise.all(Array.from({ length: processes }, () => spawnScaleServer(workerEnv)));
    servers.push(...workers);
    await Promise.all(workers.map((worker) => waitUntilHealthy(worker.url)));
    const firstJobMs = await warmUp(services, tenantId, api, workers, options);
    await api.stop('SIGTERM');

    const cpuBefore = workers.map((worker) => cpuMs(worker.child.pid!, { children: true }));
    await backlog.resume();
    await waitUntilSettled(services.db, documentIds, {
      stallTimeoutMs: 180_000,
      onProgress: (settled) => progress(`${label}: ${processes} worker process(es): ${settled}/${documentIds.length} drained`),
    });
    progress(`${label}: ${processes} worker process(es): done\n`);
    const cpu = workers.reduce((total, worker, index) => total + cpuMs(worker.child.pid!, { children: true }) - cpuBefore[index]!, 0);
    // SIGTERM first: each process writes its last JobExecution rows on the way out.
    await Promise.all(workers.map((worker) => worker.stop('SIGTERM')));
    const window = await services.db.jobExecution.aggregate({ where: { jobId: { in: documentIds } }, _min: { startedAt: true }, _max: { finishedAt: true } });
    const wallMs = window._max.finishedAt!.getTime() - window._min.startedAt!.getTime();
    return {
      ...(await scaleResult(services.db, { processes, servers: workers, entityId, documentIds, wallMs, cpuMs: cpu })),
      firstJobMs,
      medianJobMs: await medianJobMs(services, documentIds),
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop('SIGTERM')));
    await backlog.close();
    await deleteBenchEntity(services.db, entityId);
  }
}
