import type { Database } from '../db.js';
import { notFound } from '../errors.js';

/** The entity, when it belongs to the tenant; another tenant's entity is "not found", never "forbidden". */
export async function requireTenantEntity(db: Database, tenantId: string, entityId: string) {
  const entity = await db.entity.findFirst({ where: { id: entityId, tenantId } });
  if (!entity) throw notFound('entity');
  return entity;
}
