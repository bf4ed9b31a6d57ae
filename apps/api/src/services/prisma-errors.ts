import { Prisma } from '../generated/prisma/client.js';

/** True when a write lost a race against a unique index. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** Connection-level failures: the database is down or unreachable, not the query wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    // A raw query ($executeRaw, $queryRaw) reports every failure as P2010; the driver adapter's error says why.
    if (error.code === 'P2010') return isUnreachableDriverError((error.meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
    return ['P1001', 'P1002', 'P1017', 'P2024'].includes(error.code);
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03'].includes(code)) return true;
  // node-postgres, when the server goes away mid-query, throws a plain Error without a code.
  return error instanceof Error && error.message.startsWith('Connection terminated');
}

const UNREACHABLE_KINDS = ['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'];

function isUnreachableDriverError(driverError: unknown): boolean {
  const cause = (driverError as { cause?: { kind?: unknown; originalCode?: unknown } } | undefined)?.cause;
  if (typeof cause?.kind !== 'string') return false;
  return UNREACHABLE_KINDS.includes(cause.kind) || (cause.kind === 'postgres' && ['57P01', '57P03'].includes(String(cause.originalCode)));
}
