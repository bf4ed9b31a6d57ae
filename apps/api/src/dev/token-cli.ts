import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDatabase } from '../db.js';
import { claimsSchema } from '../plugins/claims.js';
import { loadDevConfig } from './dev-env-config.js';
import { mintToken } from './tokens.js';

const USAGE = `usage: npm run token -- --user <user id or e-mail> [--tenant <tenant id>] [--role MEMBER|ADMIN|OPERATOR] [--hours 24]
  A known user's tenant and role come from the database; --tenant and --role are needed for others.`;

const { values } = parseArgs({
  options: { user: { type: 'string' }, tenant: { type: 'string' }, role: { type: 'string' }, hours: { type: 'string', default: '24' } },
});
if (!values.user) {
  console.error(USAGE);
  process.exit(2);
}

const config = loadDevConfig();
if (!config.JWT_SECRET) {
  console.error('JWT_SECRET is not set: with JWT_JWKS_URL, tokens come from your identity provider.');
  process.exit(1);
}
const db = createDatabase(config.DATABASE_URL);
const known = await db.user
  .findFirst({ where: z.uuid().safeParse(values.user).success ? { id: values.user } : { email: values.user } })
  .finally(() => db.$disconnect());

const claims = claimsSchema.safeParse({
  sub: known?.id ?? values.user,
  tenantId: values.tenant ?? known?.tenantId,
  role: values.role ?? known?.role,
});
const hours = Number(values.hours);
if (!claims.success || !(hours > 0)) {
  console.error(`${claims.success ? '--hours must be a positive number' : 'unknown user: give --tenant <uuid> and --role MEMBER|ADMIN|OPERATOR'}\n${USAGE}`);
  process.exit(2);
}
console.log(mintToken(config.JWT_SECRET, claims.data, { expiresInMs: hours * 3_600_000, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }));
