import type { ConnectionOptions } from 'node:tls';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Config } from './config.js';
import { PrismaClient } from './generated/prisma/client.js';
import { readCaFile } from './tls-ca.js';

export type Database = PrismaClient;

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

/** A Prisma client over node-postgres (the query compiler runs in WASM; no native engine). */
export function createDatabase(databaseUrl: string, ssl: DatabaseSsl = false): Database {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000, ssl }) });
}
