import { expect } from 'vitest';
import { objectKeysOf } from './storage.js';
import type { TenantFixture } from './tenants.js';
import type { TestApp } from './test-app.js';

/** A refused upload left no stored file, no PendingUpload or Document row and no job for this tenant. */
export async function expectNothingLeftBehind(t: TestApp, tenant: TenantFixture): Promise<void> {
  expect(await objectKeysOf(tenant.tenantId)).toEqual([]);
  expect(await t.db.document.count({ where: { tenantId: tenant.tenantId } })).toBe(0);
  expect(await t.db.pendingUpload.count({ where: { tenantId: tenant.tenantId } })).toBe(0);
  for (const queue of Object.values(t.queues)) {
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    expect(jobs.filter((job) => job.data.tenantId === tenant.tenantId)).toEqual([]);
  }
}
