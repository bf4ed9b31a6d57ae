import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Database } from '../../src/db.js';
import type { DocumentReference } from '../../src/services/scan-queues.js';
import { bearer, type TenantFixture } from './tenants.js';
import type { TestApp } from './test-app.js';

export type MaintenanceTaskName = 'failure-notifier' | 'reconciler' | 'retention';

/** Runs a maintenance task through the admin endpoint, limited to the fixture's tenant, and returns its result. */
export async function runTask(t: TestApp, tenant: TenantFixture, task: MaintenanceTaskName) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/admin/maintenance/${task}/run`,
    headers: bearer(tenant.adminToken),
    payload: { tenantId: tenant.tenantId },
  });
  expect(response.statusCode, response.body).toBe(200);
  const run = response.json();
  expect(run.task).toBe(task);
  return run.result;
}

/** The tenant's users (createTenant makes one ADMIN and one MEMBER). */
export async function tenantUsers(db: Database, tenant: TenantFixture) {
  const users = await db.user.findMany({ where: { tenantId: tenant.tenantId } });
  return { admin: users.find((user) => user.role === 'ADMIN')!, member: users.find((user) => user.role === 'MEMBER')! };
}

/** A document reference of this tenant as a JobFailure keeps it and older scan jobs carried it (no real file behind it). */
export function scanJobData(tenant: TenantFixture, overrides: Partial<DocumentReference> = {}): DocumentReference {
  const documentId = overrides.documentId ?? randomUUID();
  return {
    documentId,
    tenantId: tenant.tenantId,
    entityId: tenant.entityId,
    uploadedBy: 'nobody',
    kind: 'bill',
    bucket: 'unused',
    objectKey: `${tenant.tenantId}/${documentId}`,
    sha256: '0'.repeat(64),
    mimeType: 'application/pdf',
    filename: 'fixture.pdf',
    ...overrides,
  };
}

/** A JobFailure row as a writer that does not notify leaves it: notifiedAt = null. */
export async function unnotifiedFailure(db: Database, tenant: TenantFixture, userId: string, filename: string, fields: { resolvedAt?: Date } = {}) {
  const data = scanJobData(tenant, { uploadedBy: userId, filename });
  return db.jobFailure.create({
    data: {
      jobId: data.documentId,
      queue: 'bill-scan',
      jobName: 'scan',
      tenantId: tenant.tenantId,
      entityId: tenant.entityId,
      documentId: data.documentId,
      userId,
      reason: 'the PDF is damaged',
      attempts: 1,
      data,
      ...fields,
    },
  });
}
