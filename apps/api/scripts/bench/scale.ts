/**
 * bench:scale — 1, 2 and 3 server processes (main.ts children, API and workers)
 * on one Redis, one PostgreSQL and one S3 process one stream of text-layer PDFs,
 * uploaded round-robin to their HTTP ports. Checks in the database that every
 * upload became exactly one document that ended exactly once (one record after
 * one completed job, or one JobFailure); reports throughput per process count.
 * Then the same for the drain of a backlog by 1, 2 and 3 worker-only processes
 * (lib/scale-drain.ts), of text PDFs and of scans, each process sized for one core
 * for the scans. Exits 1 when anything is missing or doubled.
 *
 *   npm run bench:scale -- [--quick] [--no-write]
 *   SCALE_DOCS=300 SCALE_SCANS=40 SCALE_PROCESSES=1,2,3 SCALE_WORKER_CONCURRENCY=2 SCALE_UPLOAD_CONCURRENCY=6
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { machineLine, writeBenchmarkSection } from '@billflow/benchmarks';
import type { ServerProcess } from '../lib/server-process.js';
import { createBenchEntity, deleteBenchEntity } from './lib/bench-entities.js';
import { startBenchServices, type BenchServices } from './lib/bench-services.js';
import { corpusFiles, type UploadFile } from './lib/corpus-files.js';
import { documentOutcomes, waitUntilSettled } from './lib/document-outcomes.js';
import { autoOcrEngine } from './lib/ocr-engine.js';
import { cpuMs } from './lib/process-stats.js';
import { progress } from './lib/progress-line.js';
import { drainRound } from './lib/scale-drain.js';
import { firstJobsLine, scaleResult, scaleTable, type DrainResult, type ScaleResult } from './lib/scale-result.js';
import { spawnScaleServer } from './lib/scale-server.js';
import { waitUntilHealthy } from '../lib/healthy.js';
import { uploadStream } from './lib/upload-stream.js';
import { versionsLine } from './lib/versions.js';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, 'no-write': { type: 'boolean', default: false } } });
const defaults = args.quick ? { documents: '60', scans: '8', processes: '1,2' } : { documents: '300', scans: '40', processes: '1,2,3' };
const documentCount = Number(process.env.SCALE_DOCS ?? defaults.documents);
const scanCount = Number(process.env.SCALE_SCANS ?? defaults.scans);
const processCounts = (process.env.SCALE_PROCESSES ?? defaults.processes).split(',').map(Number);
const workerConcurrency = process.env.SCALE_WORKER_CONCURRENCY ?? '2';
const uploadConcurrency = Number(process.env.SCALE_UPLOAD_CONCURRENCY ?? 6);
const SEED = 20261126;

/** Uploads and processing at once: every process runs API and workers. */
async function mixedRound(services: BenchServices, tenantId: string, processes: number, files: UploadFile[]): Promise<ScaleResult> {
  const env = { ...services.env, WORKER_ROLE: 'all', QUEUE_PREFIX: `scale-${processes}`, WORKER_CONCURRENCY: workerConcurrency };
  const servers: ServerProcess[] = [];
  const entityId = await createBenchEntity(services.db, tenantId);
  try {
    for (let index = 0; index < processes; index++) {
      servers.push(await spawnScaleServer(env));
    }
    await Promise.all(servers.map((server) => waitUntilHealthy(server.url)));
    const urls = servers.map((server) => server.url);
    const warm = await createBenchEntity(services.db, tenantId);
    const warmUploads = await uploadStream(files.slice(0, 4 * processes), { urls, entityId: warm, token: services.token, kind: 'invoices', concurrency: processes });
    await waitUntilSettled(services.db, warmUploads.map((upload) => upload.documentId), { stallTimeoutMs: 60_000 });
    await deleteBenchEntity(services.db, warm);

    const cpuBefore = servers.map((server) => cpuMs(server.child.pid!));
    const uploads = await uploadStream(files, { urls, entityId, token: services.token, kind: 'invoices', concurrency: uploadConcurrency });
    const documentIds = uploads.map((upload) => upload.documentId);
    await waitUntilSettled(services.db, documentIds, {
      stallTimeoutMs: 180_000,
      onProgress: (settled) => progress(`${processes} process(es): ${settled}/${documentIds.length} settled`),
    });
    progress(`${processes} process(es): done\n`);
    const cpu = servers.reduce((total, server, index) => total + cpuMs(server.child.pid!) - cpuBefore[index]!, 0);
    const lastRecord = Math.max(...(await documentOutcomes(services.db, documentIds)).map((outcome) => outcome.recordCreatedAt ?? 0));
    const wallMs = lastRecord - Math.min(...uploads.map((upload) => upload.startedAt));
    // SIGTERM first: each process writes its last JobExecution rows on the way out.
    await Promise.all(servers.map((server) => server.stop('SIGTERM')));
    return await scaleResult(services.db, { processes, servers, entityId, documentIds, wallMs, cpuMs: cpu });
  } finally {
    await Promise.all(servers.map((server) => server.stop('SIGTERM')));
    await deleteBenchEntity(services.db, entityId);
  }
}

const started = Date.now();
const services = await startBenchServices();
const mixed: ScaleResult[] = [];
const drains: DrainResult[] = [];
const scanDrains: DrainResult[] = [];
try {
  const { tenantId } = await services.db.entity.findUniqueOrThrow({ where: { id: services.entityId } });
  const { text, scans } = await corpusFiles(SEED, documentCount, scanCount);
  const ocrEngine = await autoOcrEngine();
  for (const processes of processCounts) {
    console.log(`${processes} server process(es), WORKER_CONCURRENCY=${workerConcurrency} each`);
    mixed.push(await mixedRound(services, tenantId, processes, text));
  }
  for (const processes of processCounts) {
    console.log(`drain: ${processes} worker-only process(es), WORKER_CONCURRENCY=${workerConcurrency} each`);
    drains.push(await drainRound(services, tenantId, text, { label: 'text', processes, workerConcurrency: Number(workerConcurrency), uploadConcurrency, warmUpFiles: text }));
  }
  for (const processes of processCounts) {
    console.log(`drain of scans: ${processes} worker-only process(es), WORKER_CONCURRENCY=1 and OCR_WORKERS=1 each, OCR engine ${ocrEngine}`);
    // The warm-up is one scan per process (WORKER_CONCURRENCY=1), so that each has started its OCR engine before the drain.
    const options = { label: 'scans', processes, workerConcurrency: 1, ocrWorkers: 1, uploadConcurrency, warmUpFiles: scans };
    scanDrains.push(await drainRound(services, tenantId, scans, options));
  }

  const cpus = os.cpus().length;
  const markdown = [
    '## Scale-out: several server processes, one Redis, PostgreSQL and S3 (`npm run bench:scale`)',
    '',
    machineLine(),
    versionsLine(await services.redis.info('redis_version'), ['fastify', 'bullmq', '@prisma/client', 'pdfjs-dist', 'tesseract.js']),
    `- ${documentCount} distinct text-layer PDFs of the extraction corpus per run (${scanCount} distinct scans in the drain of scans); private Redis, s3rver child and PostgreSQL on the same ${cpus}-CPU machine; total run ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    '- Exactly once, checked in the database after the processes stopped: one Document per upload, each either PROCESSED with one AccountingRecord and one completed JobExecution, or FAILED with one JobFailure (FAILED is an extraction outcome, counted apart; the server\'s warnings printed during the run say why).',
    '',
    '### Uploads and processing at once',
    '',
    `Uploaded ${uploadConcurrency} at a time round-robin to the processes' HTTP ports; each process runs API and workers (WORKER_ROLE=all, WORKER_CONCURRENCY=${workerConcurrency}). ` +
      'Wall time from the first upload to the last AccountingRecord. ' +
      `On ${cpus} CPUs shared by every process, Redis, PostgreSQL, S3 and the uploading client, throughput cannot grow much past ${Math.min(2, cpus)} processes: more processes then share the same cores.`,
    '',
    ...scaleTable(mixed, { processes: 'processes', wall: 'wall', cpu: 'server CPU' }),
    '',
    '### Draining a backlog with worker-only processes',
    '',
    `The documents are uploaded first through one API-only process (WORKER_ROLE=api), which then stops; N worker-only processes (WORKER_ROLE=worker, WORKER_CONCURRENCY=${workerConcurrency}), ` +
      'started at once and each warmed up with a job of its own (the first job loads the extraction package), work the backlog off. ' +
      'The drain runs from the first job\'s start to the last job\'s end, from the JobExecution rows. ' +
      `A Node process runs its JavaScript on one thread, so it uses at most about one core: on ${cpus} CPUs the drain should grow up to ${cpus} worker processes and flatten beyond, where Redis, PostgreSQL and S3 take their share of the same cores.`,
    '',
    ...scaleTable(drains, { processes: 'worker processes', wall: 'drain', cpu: 'worker CPU' }),
    '',
    '### Draining a backlog of scans, one core per process',
    '',
    `The same drain, of ${scanCount} scans (image-only PDFs and images, OCR engine ${ocrEngine}). ` +
      'Each worker process is sized for one core, WORKER_CONCURRENCY=1 and OCR_WORKERS=1, as a deployment of 1-CPU pods would run it: a process is given one core\'s worth of OCR, and adding processes adds cores. ' +
      'Extraction, OCR above all, is ~97% of a scan\'s job time (bench:pipeline), so Redis, PostgreSQL and S3 stay nearly idle and ' +
      `on ${cpus} CPUs the drain should grow up to ${cpus} processes and flatten beyond. ` +
      'Each process is warmed up with one scan of its own, not a cheaper text PDF: its first job loads the extraction package, and its first scan starts its OCR engine ' +
      `(tesseract.js compiles its WASM core; either engine loads its language models), neither of which belongs in the drain; ${firstJobsLine(scanDrains)}. ` +
      'Worker CPU includes the OCR engine\'s (tesseract.js threads, or the native tesseract processes).',
    '',
    ...scaleTable(scanDrains, { processes: 'worker processes', wall: 'drain', cpu: 'worker CPU' }),
  ].join('\n');
  console.log(`\n${markdown}\n`);
  if (!args['no-write']) writeBenchmarkSection('scale', markdown);
  if ([...mixed, ...drains, ...scanDrains].some((result) => result.violations.length > 0)) process.exitCode = 1;
} finally {
  await services.close();
}
