/**
 * bench:scale — 1, 2 and 3 server processes (main.ts children, API and workers)
 * on one Redis, one PostgreSQL and one S3 process one stream of text-layer PDFs,
 * uploaded round-robin to their HTTP ports. Checks in the database that every
 * upload became exactly one document that ended exactly once (one record after
 * one completed job, or one JobFailure); reports throughput per process count.
 * Exits 1 when anything is missing or doubled.
 *
 *   npm run bench:scale -- [--quick] [--no-write]
 *   SCALE_DOCS=300 SCALE_PROCESSES=1,2,3 SCALE_WORKER_CONCURRENCY=2 SCALE_UPLOAD_CONCURRENCY=6
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { machineLine, writeBenchmarkSection } from '@billflow/benchmarks';
import { spawnServer, type ServerProcess } from '../lib/server-process.js';
import { createBenchEntity, deleteBenchEntity } from './lib/bench-entities.js';
import { startBenchServices, type BenchServices } from './lib/bench-services.js';
import { corpusFiles, type UploadFile } from './lib/corpus-files.js';
import { documentOutcomes, waitUntilSettled } from './lib/document-outcomes.js';
import { cpuMs } from './lib/process-stats.js';
import { progress } from './lib/progress-line.js';
import { printServerProblems } from './lib/server-log.js';
import { waitUntilHealthy } from '../lib/healthy.js';
import { uploadStream } from './lib/upload-stream.js';
import { versionsLine } from './lib/versions.js';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, 'no-write': { type: 'boolean', default: false } } });
const defaults = args.quick ? { documents: '60', processes: '1,2' } : { documents: '300', processes: '1,2,3' };
const documentCount = Number(process.env.SCALE_DOCS ?? defaults.documents);
const processCounts = (process.env.SCALE_PROCESSES ?? defaults.processes).split(',').map(Number);
const workerConcurrency = process.env.SCALE_WORKER_CONCURRENCY ?? '2';
const uploadConcurrency = Number(process.env.SCALE_UPLOAD_CONCURRENCY ?? 6);
const SEED = 20261126;

interface ScaleResult {
  processes: number;
  documents: number;
  wallMs: number;
  documentsPerMinute: number;
  /** Completed jobs per process, in start order. */
  jobsPerProcess: number[];
  cpuMsPerDocument: number;
  /** Documents that ended FAILED (with their JobFailure): an extraction problem, not a pipeline one. */
  failed: number;
  /** Each broken promise of exactly-once processing, described; empty when all held. */
  violations: string[];
}

/**
 * What the database says about the uploads: each one a document that ended exactly
 * once — PROCESSED with one AccountingRecord after one completed job, or FAILED with
 * one JobFailure. Returns the FAILED count and every broken promise, described.
 */
async function exactlyOnce(services: BenchServices, entityId: string, documentIds: string[]): Promise<{ failed: number; violations: string[] }> {
  const { db } = services;
  const violations: string[] = [];
  const distinct = new Set(documentIds);
  if (distinct.size !== documentIds.length) violations.push(`${documentIds.length - distinct.size} uploads answered with a document id already given`);
  const documents = await db.document.count({ where: { entityId } });
  if (documents !== documentIds.length) violations.push(`${documents} documents for ${documentIds.length} uploads`);
  const outcomes = await documentOutcomes(db, documentIds);
  const processed = outcomes.filter((outcome) => outcome.status === 'PROCESSED').length;
  const failed = outcomes.filter((outcome) => outcome.status === 'FAILED').length;
  if (processed + failed !== documentIds.length) violations.push(`${documentIds.length - processed - failed} documents neither PROCESSED nor FAILED`);
  const count = (rows: { _count: { _all: number } }[]) => ({ distinct: rows.length, doubled: rows.filter((row) => row._count._all > 1).length });
  const recordRows = await db.accountingRecord.groupBy({ by: ['documentId'], where: { entityId }, _count: { _all: true } });
  const records = count(recordRows);
  if (records.distinct !== processed || records.doubled > 0) violations.push(`${records.distinct} documents with a record for ${processed} PROCESSED, ${records.doubled} with more than one`);
  const completionRows = await db.jobExecution.groupBy({ by: ['jobId'], where: { jobId: { in: documentIds }, status: 'completed' }, _count: { _all: true } });
  const completions = count(completionRows);
  if (completions.distinct !== processed || completions.doubled > 0) violations.push(`${completions.distinct} jobs completed for ${processed} PROCESSED, ${completions.doubled} more than once`);
  const failureRows = await db.jobFailure.groupBy({ by: ['documentId'], where: { documentId: { in: documentIds } }, _count: { _all: true } });
  const failures = count(failureRows);
  if (failures.distinct !== failed || failures.doubled > 0) violations.push(`${failures.distinct} documents with a JobFailure for ${failed} FAILED, ${failures.doubled} with more than one`);
  return { failed, violations };
}

/** Completed jobs per server process, from the JobExecution rows (workerId is host:pid:worker). */
async function jobsPerProcess(services: BenchServices, servers: ServerProcess[], documentIds: string[]): Promise<number[]> {
  const rows = await services.db.jobExecution.findMany({ where: { jobId: { in: documentIds }, status: 'completed' }, select: { workerId: true } });
  return servers.map((server) => rows.filter((row) => row.workerId.split(':')[1] === String(server.child.pid)).length);
}

async function runRound(services: BenchServices, tenantId: string, processes: number, files: UploadFile[]): Promise<ScaleResult> {
  const env = { ...services.env, WORKER_ROLE: 'all', QUEUE_PREFIX: `scale-${processes}`, WORKER_CONCURRENCY: workerConcurrency };
  const servers: ServerProcess[] = [];
  const entityId = await createBenchEntity(services.db, tenantId);
  try {
    for (let index = 0; index < processes; index++) {
      const server = await spawnServer({ env, onLine: printServerProblems });
      server.child.stderr?.pipe(process.stderr);
      servers.push(server);
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
    return {
      processes,
      documents: files.length,
      wallMs,
      documentsPerMinute: (files.length / wallMs) * 60_000,
      jobsPerProcess: await jobsPerProcess(services, servers, documentIds),
      cpuMsPerDocument: cpu / files.length,
      ...(await exactlyOnce(services, entityId, documentIds)),
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop('SIGTERM')));
    await deleteBenchEntity(services.db, entityId);
  }
}

const started = Date.now();
const services = await startBenchServices();
const results: ScaleResult[] = [];
try {
  const { tenantId } = await services.db.entity.findUniqueOrThrow({ where: { id: services.entityId } });
  const { text } = await corpusFiles(SEED, documentCount, 0);
  for (const processes of processCounts) {
    console.log(`${processes} server process(es), WORKER_CONCURRENCY=${workerConcurrency} each`);
    results.push(await runRound(services, tenantId, processes, text));
  }

  const base = results[0]!.documentsPerMinute;
  const rows = results.map(
    (result) =>
      `| ${result.processes} | ${result.documents} | ${(result.wallMs / 1000).toFixed(1)} s | ${result.documentsPerMinute.toFixed(1)} | ${(result.documentsPerMinute / base).toFixed(2)}× | ` +
      `${result.jobsPerProcess.join(' / ')} | ${Math.round(result.cpuMsPerDocument)} ms | ${result.failed} | ${result.violations.length === 0 ? 'none' : result.violations.join('; ')} |`,
  );
  const cpus = os.cpus().length;
  const markdown = [
    '## Scale-out: several server processes, one Redis, PostgreSQL and S3 (`npm run bench:scale`)',
    '',
    machineLine(),
    versionsLine(await services.redis.info('redis_version'), ['fastify', 'bullmq', '@prisma/client', 'pdfjs-dist']),
    `- Parameters: ${documentCount} distinct text-layer PDFs of the extraction corpus, uploaded ${uploadConcurrency} at a time round-robin to the processes' HTTP ports; ` +
      `each process runs API and workers (WORKER_ROLE=all, WORKER_CONCURRENCY=${workerConcurrency}); private Redis, s3rver child and PostgreSQL on the same ${cpus}-CPU machine; total run ${((Date.now() - started) / 1000).toFixed(0)} s`,
    '- Exactly once, checked in the database after the processes stopped: one Document per upload, each either PROCESSED with one AccountingRecord and one completed JobExecution, or FAILED with one JobFailure (FAILED is an extraction outcome, counted apart; the server\'s warnings printed during the run say why).',
    `- On ${cpus} CPUs shared by every process, Redis, PostgreSQL, S3 and the uploading client, throughput cannot grow much past ${Math.min(2, cpus)} processes: more processes then share the same cores.`,
    '',
    '| processes | documents | wall | documents/min | vs 1 process | jobs per process | server CPU / document | FAILED | duplicates or losses |',
    `|${'---|'.repeat(9)}`,
    ...rows,
  ].join('\n');
  console.log(`\n${markdown}\n`);
  if (!args['no-write']) writeBenchmarkSection('scale', markdown);
  if (results.some((result) => result.violations.length > 0)) process.exitCode = 1;
} finally {
  await services.close();
}
