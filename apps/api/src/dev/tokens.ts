import { createSigner } from 'fast-jwt';
import type { Claims } from '../plugins/claims.js';

/** Mints an HS256 token the server accepts (dev and tests; production tokens come from the identity provider). */
export function mintToken(secret: string, claims: Claims, options: { expiresInMs?: number; issuer?: string; audience?: string } = {}): string {
  const sign = createSigner({
    key: secret,
    algorithm: 'HS256',
    expiresIn: options.expiresInMs ?? 24 * 60 * 60 * 1000,
    ...(options.issuer ? { iss: options.issuer } : {}),
    ...(options.audience ? { aud: options.audience } : {}),
  });
  return sign({ ...claims });
}
