import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { z } from 'zod';

export interface JwksKeyOptions {
  /** How long a fetched key set is used before it is fetched again. */
  ttlMs: number;
  /** The key set is fetched at most once per this interval, whatever kids the tokens name. */
  cooldownMs: number;
  /** A hanging JWKS endpoint is given up on after this long (the token is refused). */
  fetchTimeoutMs: number;
}

export const DEFAULT_JWKS_KEY_OPTIONS: JwksKeyOptions = { ttlMs: 10 * 60_000, cooldownMs: 30_000, fetchTimeoutMs: 5_000 };

const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kid: z.string().min(1).optional(), alg: z.string().optional(), use: z.string().optional() })).max(100),
});

/** kid → PEM of every signing key in the set for `algorithm`; keys Node cannot read are left out. */
function signingKeys(body: unknown, algorithm: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const jwk of jwksSchema.parse(body).keys) {
    if (!jwk.kid || (jwk.alg ?? algorithm) !== algorithm || (jwk.use ?? 'sig') !== 'sig') continue;
    try {
      keys.set(jwk.kid, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ format: 'pem', type: 'spki' }) as string);
    } catch {
      // A key of another type or a malformed one: tokens naming it are refused like unknown kids.
    }
  }
  return keys;
}

/**
 * Public keys by kid from a JWKS URL. The whole set is cached (so one fetch
 * learns every published key) and fetched again when it is older than the TTL
 * or a token names a kid it lacks (key rotation). Tokens with random kids must
 * not become a flood of requests to the identity provider: fetches are shared
 * by concurrent requests and spaced by a cooldown, like jose's remote key sets.
 * While the endpoint is down, the keys fetched last keep working.
 */
export function jwksKeys(jwksUrl: URL, algorithm: string, options: JwksKeyOptions) {
  let keys = new Map<string, string>();
  let loadedAt = -Infinity;
  let attemptedAt = -Infinity;
  let loading: Promise<void> | undefined;

  async function load(): Promise<void> {
    attemptedAt = Date.now();
    const response = await fetch(jwksUrl, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.fetchTimeoutMs) });
    if (!response.ok) throw new Error(`the JWKS endpoint answered ${response.status}`);
    keys = signingKeys(await response.json(), algorithm);
    loadedAt = Date.now();
  }

  /** The verifier pins the algorithm too; refusing others here keeps them from costing a fetch. */
  return async function publicKey(header: { kid?: string; alg?: string }): Promise<string> {
    if (header.alg !== algorithm) throw new Error(`the token is not signed with ${algorithm}`);
    const kid = header.kid;
    if (!kid) throw new Error('the token header names no key id');
    const now = Date.now();
    const wanted = !keys.has(kid) || now - loadedAt >= options.ttlMs;
    if (loading || (wanted && now - attemptedAt >= options.cooldownMs)) {
      loading ??= load().finally(() => {
        loading = undefined;
      });
      await loading.catch((error: unknown) => {
        if (!keys.has(kid)) throw error;
      });
    }
    const key = keys.get(kid);
    if (!key) throw new Error('no key with this id in the JWKS');
    return key;
  };
}
