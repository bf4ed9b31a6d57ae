import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMetricsServer } from '../src/plugins/metrics.js';
import { textPdf } from './helpers/documents.js';
import { multipartBody } from './helpers/multipart.js';
import { bearer, type TenantFixture } from './helpers/tenants.js';
import { appWithTenant, createTestApp, type TestApp } from './helpers/test-app.js';
import { settledDocument, uploadAccepted } from './helpers/uploads.js';
import { waitFor } from './helpers/wait.js';

const METRICS_TOKEN = randomBytes(24).toString('hex');

let t: TestApp;
let tenant: TenantFixture;

beforeAll(async () => ({ t, tenant } = await appWithTenant({ workers: true, overrides: { METRICS_TOKEN } })));
afterAll(() => t.close());

const scrape = async (headers: Record<string, string> = bearer(tenant.adminToken)) => {
  const response = await t.app.inject({ method: 'GET', url: '/metrics', headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.body;
};

/** The value of one sample, e.g. value(text, 'billflow_jobs_total{queue="bill-scan",outcome="completed"}'). */
function value(text: string, sample: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

describe('GET /metrics', () => {
  it('is readable with an ADMIN token or METRICS_TOKEN only', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(tenant.memberToken) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(`${METRICS_TOKEN}x`) })).statusCode).toBe(401);
    expect(await scrape(bearer(METRICS_TOKEN))).toContain('billflow_queue_jobs');
  });

  it('moves the job, extraction, duplicate, queue and HTTP metrics after a few jobs', async () => {
    const before = await scrape();
    const pdf = await textPdf(['ACME Supplies', 'Invoice # M-1', 'Total $10.00'], 'metrics');
    const first = await uploadAccepted(t, tenant, pdf);
    await settledDocument(t, tenant, first);
    const corrupt = await uploadAccepted(t, tenant, Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(512)]));
    await settledDocument(t, tenant, corrupt);
    const body = multipartBody(pdf);
    const duplicate = await t.app.inject({ method: 'POST', url: `/api/entities/${tenant.entityId}/bills/scan`, headers: { ...body.headers, ...bearer(tenant.memberToken) }, payload: body.payload });
    expect(duplicate.statusCode).toBe(200);

    // The completed/failed events reach the counters a moment after the document is settled.
    const after = await waitFor(async () => {
      const text = await scrape();
      return value(text, 'billflow_jobs_total{queue="bill-scan",outcome="failed"}') > value(before, 'billflow_jobs_total{queue="bill-scan",outcome="failed"}') &&
        value(text, 'billflow_jobs_total{queue="bill-scan",outcome="completed"}') > value(before, 'billflow_jobs_total{queue="bill-scan",outcome="completed"}')
        ? text
        : undefined;
    });
    const moved = (sample: string) => value(after, sample) - value(before, sample);
    expect(moved('billflow_job_duration_seconds_count{queue="bill-scan"}')).toBeGreaterThanOrEqual(1);
    expect(moved('billflow_extraction_method_total{method="pdf-text"}')).toBeGreaterThanOrEqual(1);
    expect(moved('billflow_extraction_confidence_count{method="pdf-text"}')).toBeGreaterThanOrEqual(1);
    expect(moved('billflow_duplicate_uploads_total{kind="bill"}')).toBe(1);
    expect(value(after, 'billflow_queue_jobs{queue="bill-scan",state="failed"}')).toBeGreaterThanOrEqual(1);
    expect(moved('billflow_http_request_duration_seconds_count{method="POST",route="/api/entities/:entityId/bills/scan",status="202"}')).toBe(2);
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics on its own port without a token, and not on the API port', async () => {
    const internal = await createTestApp({ overrides: { METRICS_PORT: '9' } });
    const server = await startMetricsServer(internal.metrics, '127.0.0.1', 0);
    try {
      expect((await internal.app.inject({ method: 'GET', url: '/metrics', headers: bearer(tenant.adminToken) })).statusCode).toBe(404);
      const address = server.server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${address.port}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('billflow_queue_jobs');
    } finally {
      await server.close();
      await internal.close();
    }
  });
});
