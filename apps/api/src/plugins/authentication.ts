import jwt, { type TokenOrHeader } from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { claimsSchema } from './claims.js';
import { DEFAULT_JWKS_KEY_OPTIONS, jwksKeys, type JwksKeyOptions } from './jwks-keys.js';

/** Clock skew allowed on exp and nbf: a token is refused once it is this far past `exp`. */
const CLOCK_TOLERANCE_MS = 30_000;

type AuthConfig = Pick<Config, 'JWT_SECRET' | 'JWT_JWKS_URL' | 'JWT_ISSUER' | 'JWT_AUDIENCE'> & {
  /** JWKS cache and refetch bounds; tests shorten them. */
  jwks?: JwksKeyOptions;
};

function keySource(config: AuthConfig) {
  if (config.JWT_JWKS_URL) {
    const publicKey = jwksKeys(new URL(config.JWT_JWKS_URL), 'RS256', config.jwks ?? DEFAULT_JWKS_KEY_OPTIONS);
    return {
      algorithm: 'RS256' as const,
      secret: async (_request: FastifyRequest, token: TokenOrHeader) => publicKey('header' in token ? token.header : token),
    };
  }
  return { algorithm: 'HS256' as const, secret: config.JWT_SECRET! };
}

/**
 * Bearer-token authentication: HS256 with JWT_SECRET, or RS256 with keys from a
 * JWKS URL (cached and rotated: jwks-keys.ts). The algorithm is pinned, exp
 * and sub are required, and iss/aud when configured. `request.user` holds
 * the validated claims (sub, tenantId, role).
 */
export const authentication = fp(
  async (app: FastifyInstance, config: AuthConfig) => {
    const { algorithm, secret } = keySource(config);
    await app.register(jwt, {
      secret,
      // The key lookup needs the token header (kid, alg), not only its payload.
      decode: { complete: true },
      sign: { algorithm },
      verify: {
        algorithms: [algorithm],
        // A configured issuer or audience must be present, not only right when present.
        requiredClaims: ['exp', 'sub', ...(config.JWT_ISSUER ? ['iss'] : []), ...(config.JWT_AUDIENCE ? ['aud'] : [])],
        // fast-jwt counts the tolerance in milliseconds.
        clockTolerance: CLOCK_TOLERANCE_MS,
        ...(config.JWT_ISSUER ? { allowedIss: config.JWT_ISSUER } : {}),
        ...(config.JWT_AUDIENCE ? { allowedAud: config.JWT_AUDIENCE } : {}),
      },
    });

    app.decorate('authenticate', async (request: FastifyRequest) => {
      try {
        await request.jwtVerify();
      } catch (error) {
        request.log.info({ err: error }, 'token refused');
        throw new AppError(401, 'UNAUTHORIZED', 'a valid bearer token is required');
      }
      const claims = claimsSchema.safeParse(request.user);
      if (!claims.success) throw new AppError(401, 'UNAUTHORIZED', 'the token lacks sub, tenantId or role');
      request.user = claims.data;
      request.log = request.log.child({ tenantId: claims.data.tenantId, userId: claims.data.sub });
    });
  },
  { name: 'authentication' },
);

declare module 'fastify' {
  interface FastifyInstance {
    authenticate(request: FastifyRequest): Promise<void>;
  }
}
