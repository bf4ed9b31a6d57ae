import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionRow } from '../src/services/job-executions.js';
import { bearer, createTenant, type TenantFixture } from './helpers/tenants.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tenant: TenantFixture;
let other: TenantFixture;
/** A queue name of this file's own, so rows of other tests never count. */
const queue = `stats-${randomUUID().slice(0, 8)}`;
const HOUR = 3_600_000;
const now = Date.now();

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

function row(name: string, status: ExecutionRow['status'], durationMs: number, options: { error?: string; ageMs?: number; jobId?: string; tenantId?: string } = {}): ExecutionRow {
  const finishedAt = new Date(now - (options.ageMs ?? HOUR));
  return {
    queue, name, status, durationMs,
    jobId: options.jobId ?? randomUUID(),
    tenantId: options.tenantId ?? tenant.tenantId,
    attempt: status === 'completed' ? 1 : 2,
    startedAt: new Date(finishedAt.getTime() - durationMs),
    finishedAt,
    workerId: 'host:1:abcdef12',
    error: options.error ?? null,
  };
}

const completedDurations = Array.from({ length: 20 }, (_, index) => (index + 1) * 100);
const scanDurations = [...completedDurations, 50, 50, 50, 60, 5];

beforeAll(async () => {
  t = await createTestApp();
  tenant = await createTenant(t.db);
  other = await createTenant(t.db);
  await t.db.jobExecution.createMany({
    data: [
      ...completedDurations.map((duration) => row('scan', 'completed', duration, { jobId: `scan-${duration}` })),
      ...[1, 2, 3].map(() => row('scan', 'retried-failed', 50, { error: 'S3 read timed out' })),
      row('scan', 'failed', 60, { error: 'S3 read timed out' }),
      row('scan', 'failed', 5, { error: 'the PDF is encrypted' }),
      row('cleanup', 'completed', 7, { tenantId: undefined }),
      // Two days old: outside the default window.
      row('scan', 'completed', 99_999, { ageMs: 48 * HOUR, jobId: 'old' }),
      // Another tenant's: only an OPERATOR sees it.
      row('foreign', 'failed', 70, { tenantId: other.tenantId, error: 'their secret reason' }),
    ],
  });
});
afterAll(() => t.close());

const stats = (query: string, token = tenant.adminToken) => t.app.inject({ method: 'GET', url: `/api/admin/stats?queue=${queue}${query}`, headers: bearer(token) });

describe('GET /api/admin/stats', () => {
  it('reports, per queue and job name over the last 24 h, counts, percentiles, failure rates, the slowest attempts and the most common errors', async () => {
    const response = await stats('');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(new Date(body.to).getTime() - new Date(body.from).getTime()).toBe(24 * HOUR);
    expect(body.jobs.map((entry: { name: string }) => entry.name)).toEqual(['cleanup', 'scan']);

    const scan = body.jobs[1];
    expect(scan.counts).toEqual({ completed: 20, failed: 2, retriedFailed: 3, attempts: 25 });
    expect(scan.failureRate).toBeCloseTo(2 / 22, 10);
    expect(scan.attemptFailureRate).toBeCloseTo(5 / 25, 10);
    expect(scan.durationMs.p50).toBeCloseTo(percentile(scanDurations, 0.5), 6);
    expect(scan.durationMs.p95).toBeCloseTo(percentile(scanDurations, 0.95), 6);
    expect(scan.durationMs.max).toBe(2000);
    expect(scan.durationMs.avg).toBeCloseTo(scanDurations.reduce((sum, value) => sum + value, 0) / scanDurations.length, 6);
    expect(scan.slowest.map((slow: { jobId: string }) => slow.jobId)).toEqual(['scan-2000', 'scan-1900', 'scan-1800', 'scan-1700', 'scan-1600']);
    expect(scan.slowest[0]).toMatchObject({ durationMs: 2000, status: 'completed', attempt: 1, tenantId: tenant.tenantId, workerId: 'host:1:abcdef12' });
    expect(scan.topErrors).toEqual([
      { error: 'S3 read timed out', count: 4, lastSeenAt: expect.any(String) },
      { error: 'the PDF is encrypted', count: 1, lastSeenAt: expect.any(String) },
    ]);

    expect(body.jobs[0]).toMatchObject({ counts: { completed: 1, failed: 0, retriedFailed: 0, attempts: 1 }, failureRate: 0, durationMs: { p50: 7, p95: 7, max: 7 }, topErrors: [] });
  });

  it('takes the window from ?from&to, a tenant filter and the length of the top lists', async () => {
    const from = new Date(now - 72 * HOUR).toISOString();
    const to = new Date(now).toISOString();
    const wide = (await stats(`&from=${from}&to=${to}&top=1`)).json();
    const scan = wide.jobs.find((entry: { name: string }) => entry.name === 'scan');
    expect(scan.counts.attempts).toBe(26);
    expect(scan.slowest).toEqual([expect.objectContaining({ jobId: 'old', durationMs: 99_999 })]);
    expect(scan.topErrors).toHaveLength(1);

    const empty = (await stats(`&from=${new Date(now - 10 * HOUR).toISOString()}&to=${new Date(now - 5 * HOUR).toISOString()}`)).json();
    expect(empty.jobs).toEqual([]);

    const ownTenant = (await stats(`&tenantId=${tenant.tenantId}`)).json();
    expect(ownTenant.jobs.map((entry: { name: string }) => entry.name)).toEqual(['cleanup', 'scan']);
  });

  it("shows an ADMIN its own tenant's attempts only (another tenantId is a 404), an OPERATOR every tenant's", async () => {
    expect((await stats('')).json().jobs.map((entry: { name: string }) => entry.name)).not.toContain('foreign');
    expect((await stats(`&tenantId=${other.tenantId}`)).statusCode).toBe(404);
    expect((await stats('', other.adminToken)).json().jobs.map((entry: { name: string }) => entry.name)).toEqual(['foreign']);

    expect((await stats('', tenant.operatorToken)).json().jobs.map((entry: { name: string }) => entry.name)).toEqual(['cleanup', 'foreign', 'scan']);
    const filtered = (await stats(`&tenantId=${other.tenantId}`, tenant.operatorToken)).json();
    expect(filtered.jobs.map((entry: { name: string }) => entry.name)).toEqual(['foreign']);
    expect((await stats(`&tenantId=${randomUUID()}`, tenant.operatorToken)).json().jobs).toEqual([]);
  });

  it('is for ADMINs and OPERATORs only and rejects a window that is reversed, too wide or not a date', async () => {
    expect((await stats('', tenant.memberToken)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/stats' })).statusCode).toBe(401);
    const reversed = await stats(`&from=${new Date(now).toISOString()}&to=${new Date(now - HOUR).toISOString()}`);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await stats(`&from=${new Date(now - 400 * 24 * HOUR).toISOString()}`)).statusCode).toBe(400);
    expect((await stats('&from=yesterday')).statusCode).toBe(400);
  });

  it('is described in the OpenAPI document, with the event streams', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.paths['/api/admin/stats'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['from', 'to', 'queue', 'tenantId', 'top']));
    expect(Object.keys(spec.paths['/api/documents/{id}/events'].get.responses[200].content)).toEqual(['text/event-stream']);
    expect(spec.paths['/api/events']).toBeDefined();
  });
});
