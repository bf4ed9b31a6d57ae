import { z } from 'zod';

/** What a Billflow bearer token must carry. */
export const claimsSchema = z.object({
  sub: z.string().min(1),
  tenantId: z.uuid(),
  role: z.enum(['ADMIN', 'MEMBER']),
});
export type Claims = z.infer<typeof claimsSchema>;

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: Claims;
    user: Claims;
  }
}
