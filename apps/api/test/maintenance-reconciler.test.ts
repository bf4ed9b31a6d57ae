import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryFailure } from '../src/services/dead-letters.js';
import { enqueueScan } from '../src/services/scan-jobs.js';
import { scanQueueNames } from '../src/services/scan-queues.js';
import { textPdf } from './helpers/documents.js';
import { runTask, tenantUsers } from './helpers/maintenance.js';
import { createDocumentRow } from './helpers/records.js';
import { createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { settledDocument, uploadAccepted } from './helpers/uploads.js';
import { waitFor } from './helpers/wait.js';

let t: TestApp;
let tenant: TenantFixture;

beforeAll(async () => {
  // No scan workers: jobs stay where the test puts them.
  t = await createTestApp({ overrides: { JOB_ATTEMPTS: '2' } });
  tenant = await createTenant(t.db);
});
afterAll(() => t?.close());

/** Moves the document's last update into the past, beyond the reconciler's grace period (2 min by default). */
async function age(documentId: string, minutes = 10) {
  await t.db.$executeRaw`UPDATE "Document" SET "updatedAt" = now() - make_interval(mins => ${minutes}) WHERE id = ${documentId}::uuid`;
}

/** A bill-scan worker without Billflow's handlers: the job fails as if the process died before its `failed` handler ran. */
async function failWithoutRecord(documentId: string, error: () => Error, attempts = 1) {
  const worker = new Worker(scanQueueNames.bill, async () => {
    throw error();
  }, { connection: t.workerRedis, prefix: t.config.QUEUE_PREFIX });
  try {
    await waitFor(async () => ((await (await t.queues.bill.getJob(documentId))?.isFailed()) ? true : undefined), 15_000, 'the job to fail');
  } finally {
    await worker.close();
  }
  const job = await t.queues.bill.getJob(documentId);
  expect(job?.attemptsMade).toBe(attempts);
}

describe('reconciler: documents without a job', () => {
  it('queues a stuck QUEUED document whose job is gone under the same job id, and it is processed once', async () => {
    const documentId = await uploadAccepted(t, tenant, await textPdf(['Invoice # R-1', 'Total $12.00'], 'reconciled'));
    await (await t.queues.bill.getJob(documentId))!.remove();
    await age(documentId);

    expect(await runTask(t, tenant, 'reconciler')).toMatchObject({ documentsChecked: 1, requeued: 1, errors: 0 });
    const job = await t.queues.bill.getJob(documentId);
    expect(job?.data).toMatchObject({ documentId, tenantId: tenant.tenantId });
    // Another run while the job waits: it exists, so nothing is added.
    expect(await runTask(t, tenant, 'reconciler')).toMatchObject({ requeued: 0 });
    expect(await t.queues.bill.getJobCounts('waiting')).toMatchObject({ waiting: 1 });

    // Workers start (another process on the same queues): the document is processed exactly once.
    const processing = await createTestApp({ workers: true, overrides: { QUEUE_PREFIX: t.config.QUEUE_PREFIX } });
    try {
      expect((await settledDocument(processing, tenant, documentId)).status).toBe('PROCESSED');
      await waitFor(async () => ((await (await t.queues.bill.getJob(documentId))?.isCompleted()) ? true : undefined));
      expect((await t.queues.bill.getJob(documentId))?.attemptsMade).toBe(1);
      expect(await t.db.accountingRecord.count({ where: { documentId } })).toBe(1);
      expect(await runTask(t, tenant, 'reconciler')).toMatchObject({ documentsChecked: 0, requeued: 0 });
    } finally {
      await processing.close();
    }
  });

  it('leaves a QUEUED document alone during the grace period', async () => {
    const fresh = await createTenant(t.db);
    const document = await createDocumentRow(t.db, fresh);
    await t.db.document.update({ where: { id: document.id }, data: { status: 'QUEUED' } });
    expect(await runTask(t, fresh, 'reconciler')).toMatchObject({ documentsChecked: 0, requeued: 0 });
    expect(await t.queues.bill.getJob(document.id)).toBeUndefined();
  });

  it('leaves an old PROCESSING document alone while its job exists (stalled jobs are BullMQ’s to recover)', async () => {
    const other = await createTenant(t.db);
    const document = await createDocumentRow(t.db, other);
    await enqueueScan(t.queues, document);
    await age(document.id);
    expect(await runTask(t, other, 'reconciler')).toMatchObject({ documentsChecked: 1, requeued: 0 });
    expect(await t.db.document.findUniqueOrThrow({ where: { id: document.id } })).toMatchObject({ status: 'PROCESSING' });
  });

  it('queues an old PROCESSING document whose job is missing entirely, as QUEUED', async () => {
    const other = await createTenant(t.db);
    const document = await createDocumentRow(t.db, other);
    await age(document.id);
    expect(await runTask(t, other, 'reconciler')).toMatchObject({ documentsChecked: 1, requeued: 1 });
    expect(await t.db.document.findUniqueOrThrow({ where: { id: document.id } })).toMatchObject({ status: 'QUEUED', progress: 0 });
    expect((await t.queues.bill.getJob(document.id))?.id).toBe(document.id);
  });
});

describe('reconciler: final failures without a JobFailure row', () => {
  it('records the failure of a job that failed for good (unrecoverable), once, and notifies the uploader', async () => {
    const other = await createTenant(t.db);
    const { member } = await tenantUsers(t.db, other);
    const document = await createDocumentRow(t.db, other);
    await t.db.document.update({ where: { id: document.id }, data: { uploadedBy: member.id } });
    await enqueueScan(t.queues, { ...document, uploadedBy: member.id });
    await failWithoutRecord(document.id, () => new UnrecoverableError('the PDF is encrypted'));
    expect(await t.db.jobFailure.count({ where: { jobId: document.id } })).toBe(0);

    expect(await runTask(t, other, 'reconciler')).toMatchObject({ failedJobsChecked: 1, failuresRecorded: 1, requeued: 0, errors: 0 });
    const failure = await t.db.jobFailure.findUniqueOrThrow({ where: { jobId: document.id } });
    expect(failure).toMatchObject({ queue: 'bill-scan', reason: 'the PDF is encrypted', attempts: 1, occurrences: 1, userId: member.id, tenantId: other.tenantId });
    expect(await t.db.document.findUniqueOrThrow({ where: { id: document.id } })).toMatchObject({ status: 'FAILED', error: 'the PDF is encrypted' });
    expect(await t.db.notification.count({ where: { userId: member.id, type: 'document.failed' } })).toBe(1);

    expect(await runTask(t, other, 'reconciler')).toMatchObject({ failedJobsChecked: 1, failuresRecorded: 0 });
    expect(await t.db.notification.count({ where: { userId: member.id, type: 'document.failed' } })).toBe(1);

    // Retried by an admin, failed again, and again nobody wrote it down: a second occurrence.
    await retryFailure(t.db, t.queues, failure.id);
    await failWithoutRecord(document.id, () => new UnrecoverableError('the PDF is still encrypted'), 2);
    expect(await runTask(t, other, 'reconciler')).toMatchObject({ failuresRecorded: 1 });
    expect(await t.db.jobFailure.findUniqueOrThrow({ where: { jobId: document.id } })).toMatchObject({ occurrences: 2, reason: 'the PDF is still encrypted' });
    expect(await t.db.notification.count({ where: { userId: member.id, type: 'document.failed' } })).toBe(2);
  });

  it('tells the uploader only a generic reason when retries ran out (internal errors stay internal)', async () => {
    const other = await createTenant(t.db);
    const document = await createDocumentRow(t.db, other);
    await enqueueScan(t.queues, document);
    await failWithoutRecord(document.id, () => new Error('connect ECONNREFUSED 10.0.0.7:9000'), 2);

    expect(await runTask(t, other, 'reconciler')).toMatchObject({ failuresRecorded: 1 });
    const failure = await t.db.jobFailure.findUniqueOrThrow({ where: { jobId: document.id } });
    expect(failure).toMatchObject({ attempts: 2, reason: 'processing failed after several attempts; please try again later' });
  });
});
