import type { Database } from '../db.js';
import { notFound } from '../errors.js';

/** A document of the caller's tenant with the id of its record, if any. */
export async function getTenantDocument(db: Database, tenantId: string, id: string) {
  const document = await db.document.findFirst({ where: { id, tenantId }, include: { record: { select: { id: true } } } });
  if (!document) throw notFound('document');
  return document;
}
