import type { ConnectionOptions } from 'node:tls';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Config } from './config.js';
import { Prisma, PrismaClient } from './generated/prisma/client.js';
import { readCaFile } from './tls-ca.js';

/**
 * Prisma, plus the node-postgres pool it runs on as `sql`: the statements that run for
 * every upload and every scan job run there directly, because Prisma's query compiler
 * costs about 0.2 ms of CPU per query where node-postgres needs 0.03 ms.
 */
export type Database = PrismaClient & { readonly sql: pg.Pool };

/** node-postgres' `ssl` option: false for plain TCP. */
export type DatabaseSsl = false | ConnectionOptions;

/**
 * DATABASE_SSL_MODE as node-postgres' `ssl` option, with libpq's meanings:
 * require encrypts without checking the certificate; verify-full checks the
 * chain (DATABASE_SSL_CA_FILE, else the system CAs) and the host name.
 * An sslmode in DATABASE_URL itself takes precedence in node-postgres.
 */
export function databaseSsl(config: Pick<Config, 'DATABASE_SSL_MODE' | 'DATABASE_SSL_CA_FILE'>): DatabaseSsl {
  switch (config.DATABASE_SSL_MODE) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, ...(config.DATABASE_SSL_CA_FILE ? { ca: readCaFile('DATABASE_SSL_CA_FILE', config.DATABASE_SSL_CA_FILE) } : {}) };
  }
}

/**
 * A Prisma client over a node-postgres pool (the query compiler runs in WASM; no native engine).
 * `$disconnect()` ends the pool.
 */
export function createDatabase(databaseUrl: string, ssl: DatabaseSsl = false): Database {
  // allowExitOnIdle: a pool only `sql` used (Prisma never connected, so $disconnect cannot end it) does not keep the process alive.
  const pool = new pg.Pool({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000, ssl, allowExitOnIdle: true });
  // An idle connection that dies (database restarted) is replaced by the pool; unhandled, the event would end the process.
  pool.on('error', () => undefined);
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  return Object.assign(client, { sql: pool });
}

/** A named (prepared once per connection) node-postgres query from a Prisma.sql template, whose values are parameters. */
export function namedQuery(name: string, query: Prisma.Sql, types?: pg.CustomTypesConfig): pg.QueryConfig {
  return { name, text: query.text, values: query.values, ...(types ? { types } : {}) };
}

const TIMESTAMP_OID = pg.types.builtins.TIMESTAMP;

/** Column parsers for queries on `db.sql`: `timestamp` columns hold UTC (as Prisma writes them), not the process's local time. */
export const prismaColumnTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};
