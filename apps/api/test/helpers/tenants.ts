import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db.js';
import { mintToken } from '../../src/dev/tokens.js';
import { TEST_JWT_SECRET } from './test-config.js';

export interface TenantFixture {
  tenantId: string;
  entityId: string;
  adminToken: string;
  memberToken: string;
  /** An OPERATOR (platform staff) who belongs to this tenant: sees every tenant's jobs, but only this tenant's documents. */
  operatorToken: string;
}

/** A fresh tenant with one entity, an ADMIN, a MEMBER and an OPERATOR, named so no two tests collide. */
export async function createTenant(db: Database): Promise<TenantFixture> {
  const suffix = randomUUID();
  const tenant = await db.tenant.create({ data: { name: `Tenant ${suffix}` } });
  const entity = await db.entity.create({ data: { tenantId: tenant.id, name: `Entity ${suffix}` } });
  const admin = await db.user.create({ data: { tenantId: tenant.id, email: `admin-${suffix}@test.invalid`, name: 'Admin', role: 'ADMIN' } });
  const member = await db.user.create({ data: { tenantId: tenant.id, email: `member-${suffix}@test.invalid`, name: 'Member', role: 'MEMBER' } });
  const operator = await db.user.create({ data: { tenantId: tenant.id, email: `operator-${suffix}@test.invalid`, name: 'Operator', role: 'OPERATOR' } });
  return {
    tenantId: tenant.id,
    entityId: entity.id,
    adminToken: mintToken(TEST_JWT_SECRET, { sub: admin.id, tenantId: tenant.id, role: 'ADMIN' }),
    memberToken: mintToken(TEST_JWT_SECRET, { sub: member.id, tenantId: tenant.id, role: 'MEMBER' }),
    operatorToken: mintToken(TEST_JWT_SECRET, { sub: operator.id, tenantId: tenant.id, role: 'OPERATOR' }),
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
