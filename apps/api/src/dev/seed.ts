import type { Database } from '../db.js';
import { Role } from '../generated/prisma/enums.js';

const DEMO = {
  tenant: 'Demo Company',
  entity: 'Demo Company Ltd',
  admin: { email: 'admin@demo.billflow.test', name: 'Dana Admin' },
  member: { email: 'member@demo.billflow.test', name: 'Max Member' },
};
/** Platform staff, seeded in the demo tenant: sees every tenant's jobs in the admin API and Bull Board. */
const OPERATOR = { email: 'operator@demo.billflow.test', name: 'Oscar Operator' };
const OTHER = {
  tenant: 'Other Company',
  entity: 'Other Company GmbH',
  admin: { email: 'admin@other.billflow.test', name: 'Olga Other' },
  member: { email: 'member@other.billflow.test', name: 'Otto Other' },
};

async function seedTenant(db: Database, spec: typeof DEMO) {
  const tenant = await db.tenant.upsert({ where: { name: spec.tenant }, create: { name: spec.tenant }, update: {} });
  const entity = await db.entity.upsert({
    where: { tenantId_name: { tenantId: tenant.id, name: spec.entity } },
    create: { tenantId: tenant.id, name: spec.entity },
    update: {},
  });
  const upsertUser = (user: { email: string; name: string }, role: Role) =>
    db.user.upsert({ where: { email: user.email }, create: { ...user, role, tenantId: tenant.id }, update: {} });
  const admin = await upsertUser(spec.admin, Role.ADMIN);
  const member = await upsertUser(spec.member, Role.MEMBER);
  return { tenant, entity, admin, member };
}

/** Two demo tenants, each with an entity, an ADMIN and a MEMBER, and an OPERATOR in the first. Safe to run again. */
export async function seedDemo(db: Database) {
  const demo = await seedTenant(db, DEMO);
  const operator = await db.user.upsert({ where: { email: OPERATOR.email }, create: { ...OPERATOR, role: Role.OPERATOR, tenantId: demo.tenant.id }, update: {} });
  return { demo: { ...demo, operator }, other: await seedTenant(db, OTHER) };
}
