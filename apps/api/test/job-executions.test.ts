import { randomBytes, randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db.js';
import { ExecutionRecorder, trackExecutions, type ExecutionRow } from '../src/services/job-executions.js';
import { textPdf } from './helpers/documents.js';
import { failingReads } from './helpers/faults.js';
import { createTenant } from './helpers/tenants.js';
import { createTestApp } from './helpers/test-app.js';
import { settledDocument, uploadAccepted } from './helpers/uploads.js';
import { waitFor } from './helpers/wait.js';

const silent = pino({ level: 'silent' });

const rowsOf = (db: Database, jobId: string) => db.jobExecution.findMany({ where: { jobId }, orderBy: [{ attempt: 'asc' }, { finishedAt: 'asc' }] });

function syntheticRow(queue: string, index: number): ExecutionRow {
  const finishedAt = new Date();
  return {
    queue, jobId: `job-${index}`, name: 'synthetic', tenantId: null, attempt: 1, status: 'completed',
    startedAt: new Date(finishedAt.getTime() - 5), finishedAt, durationMs: 5, workerId: 'test', error: null,
  };
}

describe('the execution audit trail of scan jobs', () => {
  it('records every attempt: two retried failures, then the completion, with tenant, worker and durations', async () => {
    const t = await createTestApp({ workers: true, wrapStorage: failingReads(2) });
    try {
      const tenant = await createTenant(t.db);
      const documentId = await uploadAccepted(t, tenant, await textPdf(['Invoice # EX-1', 'Total $10.00'], `exec-${randomUUID()}`));
      expect((await settledDocument(t, tenant, documentId)).status).toBe('PROCESSED');
      await t.executions.flush();
      const rows = await rowsOf(t.db, documentId);
      expect(rows.map((row) => [row.attempt, row.status, row.error])).toEqual([
        [1, 'retried-failed', 'S3 read timed out'],
        [2, 'retried-failed', 'S3 read timed out'],
        [3, 'completed', null],
      ]);
      for (const row of rows) {
        expect(row).toMatchObject({ queue: 'bill-scan', name: 'scan', tenantId: tenant.tenantId, workerId: expect.stringMatching(/^.+:\d+:[0-9a-f]{8}$/) });
        expect(row.durationMs).toBe(row.finishedAt.getTime() - row.startedAt.getTime());
        expect(row.durationMs).toBeGreaterThanOrEqual(0);
      }
    } finally {
      await t.close();
    }
  });

  it('records an unrecoverable failure once, as failed, and flushes on close', async () => {
    const t = await createTestApp({ workers: true });
    let documentId: string;
    try {
      const tenant = await createTenant(t.db);
      documentId = await uploadAccepted(t, tenant, Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048)]));
      expect((await settledDocument(t, tenant, documentId)).status).toBe('FAILED');
    } finally {
      // No explicit flush: closing the app writes what is buffered.
      await t.close();
    }
    const check = await createTestApp();
    try {
      const rows = await rowsOf(check.db, documentId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ attempt: 1, status: 'failed', error: expect.any(String) });
    } finally {
      await check.close();
    }
  });
});

describe('trackExecutions on any worker', () => {
  it('tracks a worker of another queue (no tenant in its jobs) and writes everything on close()', async () => {
    const t = await createTestApp();
    const queueName = `maintenance-test-${randomUUID().slice(0, 8)}`;
    const options = { connection: t.workerRedis, prefix: t.config.QUEUE_PREFIX };
    const queue = new Queue(queueName, options);
    const worker = new Worker(
      queueName,
      async (job) => {
        if (job.name === 'flaky') throw new Error('flaky failure');
        if (job.name === 'broken') throw new UnrecoverableError('broken for good');
        return 'ok';
      },
      options,
    );
    // Nothing is written before close(): the interval is long and the batch large.
    const recorder = new ExecutionRecorder(t.db, silent, { flushIntervalMs: 60_000, maxBatch: 100 });
    trackExecutions(worker, recorder);
    try {
      await queue.add('ok', { tenantId: 'not-a-uuid' });
      await queue.add('flaky', {}, { attempts: 2 });
      await queue.add('broken', {}, { attempts: 5 });
      await waitFor(async () => (recorder.stats.recorded === 4 ? true : undefined), 10_000, 'four attempts');
      expect(await t.db.jobExecution.count({ where: { queue: queueName } })).toBe(0);
      await worker.close();
      await recorder.close();
      const rows = await t.db.jobExecution.findMany({ where: { queue: queueName }, orderBy: [{ name: 'asc' }, { attempt: 'asc' }] });
      expect(rows.map((row) => [row.name, row.attempt, row.status, row.tenantId, row.error])).toEqual([
        ['broken', 1, 'failed', null, 'broken for good'],
        ['flaky', 1, 'retried-failed', null, 'flaky failure'],
        ['flaky', 2, 'failed', null, 'flaky failure'],
        ['ok', 1, 'completed', null, null],
      ]);
      expect(recorder.stats).toMatchObject({ recorded: 4, written: 4, dropped: 0, batches: 1 });
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await t.close();
    }
  });
});

describe('ExecutionRecorder', () => {
  it('writes a full batch at once and the rest after the interval', async () => {
    const t = await createTestApp();
    const queue = `batch-${randomUUID()}`;
    const recorder = new ExecutionRecorder(t.db, silent, { flushIntervalMs: 200, maxBatch: 10 });
    try {
      for (let index = 0; index < 25; index++) recorder.record(syntheticRow(queue, index));
      await waitFor(async () => (recorder.stats.written >= 20 ? true : undefined), 5_000, 'two full batches');
      expect(recorder.stats.batches).toBe(2);
      await waitFor(async () => (recorder.stats.written === 25 ? true : undefined), 5_000, 'the interval flush');
      expect(await t.db.jobExecution.count({ where: { queue } })).toBe(25);
    } finally {
      await recorder.close();
      await t.close();
    }
  });

  it('keeps the rows of a failed write and writes them with the next flush', async () => {
    const t = await createTestApp();
    const queue = `retry-${randomUUID()}`;
    let failures = 1;
    const flakyDb = {
      $executeRaw: async (...args: Parameters<Database['$executeRaw']>) => {
        if (failures-- > 0) throw new Error('connection reset');
        return t.db.$executeRaw(...args);
      },
    } as unknown as Database;
    const recorder = new ExecutionRecorder(flakyDb, silent, { flushIntervalMs: 60_000 });
    try {
      for (let index = 0; index < 3; index++) recorder.record(syntheticRow(queue, index));
      await recorder.flush();
      expect(recorder.stats).toMatchObject({ written: 0, dropped: 0 });
      await recorder.close();
      expect(recorder.stats).toMatchObject({ written: 3, dropped: 0 });
      expect(await t.db.jobExecution.count({ where: { queue } })).toBe(3);
    } finally {
      await t.close();
    }
  });
});
