/**
 * `npm run bench:redis [-- --jobs 10000 --base64-jobs 1000]`
 *
 * Redis bytes per queued scan job (INFO memory used_memory, before and after), on a
 * private redis-server: `jobs` jobs queued exactly as an upload queues them
 * (createScanQueues + enqueueScan with the job payload built from the Document row),
 * for 100 KiB and 10 MiB files, then in the same run `base64-jobs` of the 100 KiB
 * jobs with the file's base64 added to the job data, the approach Billflow avoids.
 * No workers; every queue is obliterated afterwards. Goal: ≤ 1 KiB per job whatever
 * the file size. Prints the table and writes the "redis" section of BENCHMARKS.md.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { machineLine, writeBenchmarkSection } from '@billflow/benchmarks';
import { configSchema } from '../../src/config.js';
import type { Document } from '../../src/generated/prisma/client.js';
import { createRedis } from '../../src/redis.js';
import { enqueueScan, scanJobFor } from '../../src/services/scan-jobs.js';
import { createScanQueues } from '../../src/services/scan-queues.js';
import { benchPdf, stampedSha256, writeStamp, type BenchPdf } from './lib/bench-pdf.js';
import { startPrivateRedis } from './lib/private-redis.js';
import { versionsLine } from './lib/versions.js';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '10000' }, 'base64-jobs': { type: 'string', default: '1000' } } });
const BATCH = 200;
const GOAL_BYTES_PER_JOB = 1024;

interface Scenario {
  name: string;
  fileBytes: number;
  jobs: number;
  base64: boolean;
  /** Redis' hash-max-listpack-value for this scenario (default 64: a job hash with any longer field is a full hashtable). */
  listpackValue?: number;
}

const scenarios: Scenario[] = [
  { name: 'reference (Billflow)', fileBytes: 100 * 1024, jobs: Number(values.jobs), base64: false },
  { name: 'reference (Billflow)', fileBytes: 10 * 1024 * 1024, jobs: Number(values.jobs), base64: false },
  { name: 'reference, hash-max-listpack-value 1024', fileBytes: 100 * 1024, jobs: Number(values.jobs), base64: false, listpackValue: 1024 },
  { name: 'base64 in job data', fileBytes: 100 * 1024, jobs: Number(values['base64-jobs']), base64: true },
];

const tenantId = randomUUID();
const entityId = randomUUID();
const uploadedBy = randomUUID();

/** The Document row an upload of this file would have created (only its fields reach the job). */
function documentFor(pdf: BenchPdf, sha256: string, index: number): Document {
  const id = randomUUID();
  const now = new Date();
  return {
    id,
    tenantId,
    entityId,
    uploadedBy,
    kind: 'BILL',
    status: 'QUEUED',
    progress: 0,
    filename: `supplier-bill-${String(index).padStart(6, '0')}.pdf`,
    mimeType: 'application/pdf',
    sizeBytes: pdf.bytes.length,
    sha256,
    bucket: 'billflow-documents',
    objectKey: `${tenantId}/${entityId}/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}`,
    jobId: id,
    requestId: randomUUID(),
    error: null,
    createdAt: now,
    updatedAt: now,
    processedAt: null,
    originalDeletedAt: null,
  };
}

const redis = await startPrivateRedis();
const baseConfig = configSchema.parse({
  DATABASE_URL: 'postgresql://unused@127.0.0.1/unused',
  REDIS_URL: redis.url,
  JWT_SECRET: randomBytes(32).toString('base64url'),
});
const connection = createRedis(baseConfig, 'request', pino({ level: 'warn' }));
try {
  if (connection.status !== 'ready') await once(connection, 'ready');
  const usedMemory = async () => Number(await redis.info('used_memory'));

  const run = async (scenario: Scenario, prefix: string) => {
    const queues = createScanQueues(connection, { ...baseConfig, QUEUE_PREFIX: prefix });
    const pdf = await benchPdf(scenario.fileBytes);
    const sha256 = stampedSha256(pdf);
    const stamped = Buffer.from(pdf.bytes);
    await redis.client.config('SET', 'hash-max-listpack-value', String(scenario.listpackValue ?? 64));
    const before = await usedMemory();
    for (let start = 0; start < scenario.jobs; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, scenario.jobs - start) }, (_, offset) => {
        const index = start + offset;
        const document = documentFor(pdf, sha256(index), index);
        if (!scenario.base64) return enqueueScan(queues, document);
        writeStamp(stamped, pdf.stampOffset, index);
        const withFile = { ...scanJobFor(document), fileBase64: stamped.toString('base64') };
        return queues.bill.add('scan', withFile, { jobId: document.id });
      });
      await Promise.all(batch);
    }
    const after = await usedMemory();
    const waiting = (await queues.bill.getJobCounts('wait')).wait ?? 0;
    for (const queue of Object.values(queues)) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    if (waiting !== scenario.jobs) throw new Error(`${scenario.name}: expected ${scenario.jobs} waiting jobs, found ${waiting}`);
    return { ...scenario, fileBytes: pdf.bytes.length, bytesPerJob: (after - before) / scenario.jobs, totalBytes: after - before, afterCleanup: await usedMemory() };
  };

  // Warm-up: BullMQ loads its Lua scripts into Redis on first use; that memory is not per job.
  await run({ name: 'warm-up', fileBytes: 4096, jobs: 10, base64: false }, 'bench-redis-warm-up');
  const results = [];
  for (const [index, scenario] of scenarios.entries()) {
    results.push(await run(scenario, `bench-redis-${index}`));
    console.log(`${scenario.name} ${scenario.fileBytes} bytes × ${scenario.jobs}: ${results.at(-1)!.bytesPerJob.toFixed(0)} bytes per job`);
  }

  const reference = results.filter((result) => !result.base64 && result.listpackValue === undefined);
  const smallReference = reference[0]!;
  const goalMet = reference.every((result) => result.bytesPerJob <= GOAL_BYTES_PER_JOB);
  const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`);
  const markdown = [
    '## bench:redis — Redis memory per queued scan job',
    '',
    machineLine(),
    versionsLine(await redis.info('redis_version'), ['bullmq', 'ioredis']),
    `- Method: INFO memory used_memory before and after queueing, on a private redis-server (no persistence), no workers; jobs stay waiting. Billflow's jobs go through createScanQueues + enqueueScan (default job options); the base64 jobs are the same payload plus the file's base64 in \`data\`. Each job is a different file (distinct sha256). Lua scripts were loaded by a warm-up first. Redis' default hash-max-listpack-value is 64, so a job hash (its \`data\` and \`opts\` fields are longer) is stored as a hashtable; one row shows the same jobs with 1024.`,
    '',
    '| Job data | File size | Jobs | used_memory growth | Bytes per job | × Billflow (100 KiB) |',
    '|---|---|---:|---:|---:|---:|',
    ...results.map(
      (result) =>
        `| ${result.name} | ${size(result.fileBytes)} | ${result.jobs} | ${(result.totalBytes / 1e6).toFixed(1)} MB | ${result.bytesPerJob.toFixed(0)} | ${(result.bytesPerJob / smallReference.bytesPerJob).toFixed(1)} |`,
    ),
    '',
    `**Goal (≤ ${GOAL_BYTES_PER_JOB} bytes per Billflow job, whatever the file size): ${goalMet ? 'met' : 'not met'}.** used_memory after the last cleanup: ${(results.at(-1)!.afterCleanup / 1e6).toFixed(1)} MB.`,
  ].join('\n');
  console.log(`\n${markdown}\n`);
  writeBenchmarkSection('redis', markdown);
} finally {
  connection.disconnect();
  await redis.close();
}
