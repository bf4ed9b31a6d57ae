import { randomBytes, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { textPdf } from './helpers/documents.js';
import { failingReads } from './helpers/faults.js';
import { multipartBody } from './helpers/multipart.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { settledDocument } from './helpers/uploads.js';
import { waitFor } from './helpers/wait.js';

type LogLine = Record<string, unknown> & { msg: string };

/** An app whose logs (HTTP and workers) are collected as parsed JSON lines. */
async function loggedApp(options: Parameters<typeof createTestApp>[0] = {}) {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const t = await createTestApp({ ...options, logger });
  return { t, lines };
}

async function uploadWithRequestId(t: TestApp, tenant: TenantFixture, file: Buffer, requestId: string): Promise<string> {
  const body = multipartBody(file);
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/entities/${tenant.entityId}/bills/scan`,
    headers: { ...body.headers, ...bearer(tenant.memberToken), 'x-request-id': requestId },
    payload: body.payload,
  });
  expect(response.statusCode, response.body).toBe(202);
  return response.json().documentId;
}

/** The worker's lines about one job: every one carries the whole correlation context. */
function workerLines(lines: LogLine[], documentId: string) {
  return lines.filter((line) => line.jobId === documentId && typeof line.queue === 'string');
}

describe('correlation of worker logs with the upload', () => {
  it("puts jobId, documentId, tenantId, the upload's requestId, queue and attempt on every line of a job, retries included", async () => {
    const { t, lines } = await loggedApp({ workers: true, wrapStorage: failingReads(1) });
    try {
      const tenant = await createTenant(t.db);
      const requestId = `upload-${randomUUID()}`;
      const documentId = await uploadWithRequestId(t, tenant, await textPdf(['Invoice # LOG-1', 'Total $1.00'], `logs-${randomUUID()}`), requestId);
      expect((await settledDocument(t, tenant, documentId)).status).toBe('PROCESSED');
      // The worker logs its completion once the processor has returned, just after the row says PROCESSED.
      await waitFor(async () => (workerLines(lines, documentId).some((line) => line.msg === 'scan completed') ? true : undefined), 5_000, "the job's completion line");

      const accepted = lines.find((line) => line.msg === 'document accepted' && line.documentId === documentId);
      expect(accepted?.requestId).toBe(requestId);

      const jobLines = workerLines(lines, documentId);
      expect(jobLines.map((line) => [line.msg, line.attempt])).toEqual([
        ['scan started', 1],
        ['scan attempt failed; will retry', 1],
        ['scan started', 2],
        ['scan completed', 2],
      ]);
      for (const line of jobLines) {
        expect(line).toMatchObject({ jobId: documentId, documentId, tenantId: tenant.tenantId, requestId, queue: 'bill-scan' });
      }
      // Every line that names this document outside the HTTP request is one of the job's lines.
      const unlabelled = lines.filter((line) => (line.documentId === documentId || line.jobId === documentId) && line.msg !== 'document accepted' && !jobLines.includes(line));
      expect(unlabelled).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('labels the final failure the same way', async () => {
    const { t, lines } = await loggedApp({ workers: true });
    try {
      const tenant = await createTenant(t.db);
      const requestId = `upload-${randomUUID()}`;
      const documentId = await uploadWithRequestId(t, tenant, Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048)]), requestId);
      expect((await settledDocument(t, tenant, documentId)).status).toBe('FAILED');
      const failed = workerLines(lines, documentId).find((line) => line.msg === 'scan failed for good');
      expect(failed).toMatchObject({ jobId: documentId, documentId, tenantId: tenant.tenantId, requestId, queue: 'bill-scan', attempt: 1, final: true, level: 40 });
    } finally {
      await t.close();
    }
  });
});

describe('what the logs never contain', () => {
  it('has no bearer token, secret or document text in any line, even at trace level', async () => {
    const lines: string[] = [];
    const logger = createLogger({ LOG_LEVEL: 'trace' }, { write: (line: string) => void lines.push(line) });
    const t = await createTestApp({ workers: true, logger });
    try {
      const tenant = await createTenant(t.db);
      const secretVendor = `Vendor ${randomUUID()}`;
      const file = await textPdf([secretVendor, 'Invoice # LOG-SECRET-7731', 'Total $77.31'], 'log-privacy');
      const body = multipartBody(file);
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/entities/${tenant.entityId}/bills/scan`,
        headers: { ...body.headers, ...bearer(tenant.memberToken), cookie: 'session=cookie-secret-value' },
        payload: body.payload,
      });
      expect(response.statusCode, response.body).toBe(202);
      expect((await settledDocument(t, tenant, response.json().documentId)).status).toBe('PROCESSED');

      expect(lines.length).toBeGreaterThan(5);
      for (const secret of [tenant.memberToken, t.config.JWT_SECRET!, 'cookie-secret-value', secretVendor, 'LOG-SECRET-7731']) {
        expect(lines.filter((line) => line.includes(secret))).toEqual([]);
      }
    } finally {
      await t.close();
    }
  });
});
