import type { Config } from '../config.js';
import { createDatabase } from '../db.js';
import type { Claims } from '../plugins/claims.js';
import { applyMigrations, ensureDatabase } from './database-setup.js';
import { seedDemo } from './seed.js';
import { mintToken } from './tokens.js';

export interface DemoSummary {
  tenantId: string;
  entityId: string;
  adminToken: string;
  memberToken: string;
  /** An ADMIN of the second demo tenant. */
  otherTenantToken: string;
  /** An OPERATOR (platform staff) seeded in the demo tenant: every tenant's jobs, whole queues, the full Bull Board. */
  operatorToken: string;
}

/** Creates the database if needed, applies migrations, seeds the demo tenants and mints 24 h tokens for them. */
export async function prepareDemo(config: Config): Promise<DemoSummary> {
  if (!config.JWT_SECRET) throw new Error('demo tokens need JWT_SECRET (HS256); with JWT_JWKS_URL tokens come from your identity provider');
  await ensureDatabase(config.DATABASE_URL);
  await applyMigrations(config.DATABASE_URL);
  const db = createDatabase(config.DATABASE_URL);
  try {
    const { demo, other } = await seedDemo(db);
    const token = (user: { id: string; tenantId: string; role: Claims['role'] }) =>
      mintToken(config.JWT_SECRET!, { sub: user.id, tenantId: user.tenantId, role: user.role }, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
    return {
      tenantId: demo.tenant.id,
      entityId: demo.entity.id,
      adminToken: token(demo.admin),
      memberToken: token(demo.member),
      otherTenantToken: token(other.admin),
      operatorToken: token(demo.operator),
    };
  } finally {
    await db.$disconnect();
  }
}
