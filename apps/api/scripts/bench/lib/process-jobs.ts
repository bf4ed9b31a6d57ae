import type { Database } from '../../../src/db.js';
import type { ServerProcess } from '../../lib/server-process.js';

/** The process id in a JobExecution workerId (host:pid:worker). */
const pidOf = (workerId: string) => Number(workerId.split(':')[1]);

/** Completed jobs per server process, in the order given, from the JobExecution rows (the job id is the document id). */
export async function jobsPerProcess(db: Database, servers: ServerProcess[], documentIds: string[]): Promise<number[]> {
  const rows = await db.jobExecution.findMany({ where: { jobId: { in: documentIds }, status: 'completed' }, select: { workerId: true } });
  return servers.map((server) => rows.filter((row) => pidOf(row.workerId) === server.child.pid).length);
}

/**
 * The processes that have run any attempt of these jobs, as far as their JobExecution rows are written yet,
 * each with the duration (ms) of the first attempt it started.
 */
export async function firstJobPerProcess(db: Database, documentIds: string[]): Promise<Map<number, number>> {
  const rows = await db.jobExecution.findMany({ where: { jobId: { in: documentIds } }, select: { workerId: true, durationMs: true }, orderBy: { startedAt: 'asc' } });
  const first = new Map<number, number>();
  for (const row of rows) if (!first.has(pidOf(row.workerId))) first.set(pidOf(row.workerId), row.durationMs);
  return first;
}
