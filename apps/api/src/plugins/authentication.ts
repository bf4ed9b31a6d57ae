import jwt, { type TokenOrHeader } from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import buildGetJwks from 'get-jwks';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { claimsSchema } from './claims.js';

/** Tokens older than this many seconds past `exp` are refused even with clock skew. */
const CLOCK_TOLERANCE_MS = 30_000;

type AuthConfig = Pick<Config, 'JWT_SECRET' | 'JWT_JWKS_URL' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>;

function keySource(config: AuthConfig) {
  if (config.JWT_JWKS_URL) {
    const jwksUrl = new URL(config.JWT_JWKS_URL);
    const jwks = buildGetJwks({ jwksPath: jwksUrl.pathname, max: 50, ttl: 10 * 60_000 });
    return {
      algorithm: 'RS256' as const,
      secret: async (_request: FastifyRequest, token: TokenOrHeader) => {
        const header = 'header' in token ? token.header : token;
        return jwks.getPublicKey({ domain: jwksUrl.origin, kid: header.kid, alg: header.alg });
      },
    };
  }
  return { algorithm: 'HS256' as const, secret: config.JWT_SECRET! };
}

/**
 * Bearer-token authentication: HS256 with JWT_SECRET, or RS256 with keys from a
 * JWKS URL. The algorithm is pinned and exp is required. `request.user` holds
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
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_MS / 1000,
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
