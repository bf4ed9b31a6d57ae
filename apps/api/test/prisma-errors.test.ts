// isDatabaseUnavailable decides between 503 (try again) and 500: raw queries
// report a lost database as P2010, which must still count as unavailable; node-postgres
// (the upload's hot statements) reports it as a socket error.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../src/db.js';
import { isDatabaseUnavailable } from '../src/services/prisma-errors.js';

const failureOf = (query: Promise<unknown>) => query.then(() => expect.fail('the query succeeded'), (error: unknown) => error);

describe('isDatabaseUnavailable', () => {
  const unreachable = createDatabase('postgresql://postgres@127.0.0.1:1/billflow_test');
  const reachable = createDatabase(inject('databaseUrl'));
  afterAll(() => Promise.all([unreachable.$disconnect(), reachable.$disconnect()]));

  it('is true for a model query and a raw query against a database that is not there', async () => {
    expect(isDatabaseUnavailable(await failureOf(unreachable.entity.count()))).toBe(true);
    expect(isDatabaseUnavailable(await failureOf(unreachable.$executeRaw`SELECT 1`))).toBe(true);
    expect(isDatabaseUnavailable(await failureOf(unreachable.$queryRaw`SELECT 1`))).toBe(true);
    expect(isDatabaseUnavailable(await failureOf(unreachable.sql.query('SELECT 1')))).toBe(true);
  });

  it('is false for a raw query the database rejects', async () => {
    const error = await failureOf(reachable.$executeRaw`SELECT no_such_column FROM "Entity"`);
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(isDatabaseUnavailable(await failureOf(reachable.sql.query('SELECT no_such_column FROM "Entity"')))).toBe(false);
  });
});
