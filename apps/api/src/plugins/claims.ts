import { z } from 'zod';
import { notFound } from '../errors.js';

/**
 * MEMBER: a user of a tenant. ADMIN: administers its own tenant (its jobs,
 * failures, stats, maintenance runs). OPERATOR: platform staff, acting on
 * every tenant's jobs and on whole queues. Tenant-owned resources (entities,
 * documents, records, notifications, event streams) are scoped to the token's
 * tenant for every role, OPERATOR included.
 */
export const roles = ['MEMBER', 'ADMIN', 'OPERATOR'] as const;
export type Role = (typeof roles)[number];

/** What a Billflow bearer token must carry. */
export const claimsSchema = z.object({
  sub: z.string().min(1),
  tenantId: z.uuid(),
  role: z.enum(roles),
});
export type Claims = z.infer<typeof claimsSchema>;

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: Claims;
    user: Claims;
  }
}

/** The tenant whose jobs and failures the caller may see in the admin APIs: undefined (all of them) for an OPERATOR. */
export function adminScope(claims: Claims): string | undefined {
  return claims.role === 'OPERATOR' ? undefined : claims.tenantId;
}

/**
 * The tenant an admin request acts on: an OPERATOR's optional filter as given;
 * for an ADMIN its own tenant, and 404 for another tenant's id (as if that
 * tenant did not exist).
 */
export function scopedTenantId(claims: Claims, requested: string | undefined): string | undefined {
  const scope = adminScope(claims);
  if (scope === undefined) return requested;
  if (requested !== undefined && requested !== scope) throw notFound('tenant');
  return scope;
}
