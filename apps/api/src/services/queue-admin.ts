import type { Job, JobType, Queue } from 'bullmq';
import { AppError } from '../errors.js';

export const jobStates = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'waiting-children'] as const satisfies JobType[];
export type JobStateName = (typeof jobStates)[number];
export const cleanableStates = ['completed', 'failed', 'delayed', 'waiting', 'prioritized'] as const;

/** The queues the admin API and Bull Board act on, by name. */
export type AdminQueues = ReadonlyMap<string, Queue>;

export function adminQueueMap(queues: Queue[]): AdminQueues {
  return new Map(queues.map((queue) => [queue.name, queue]));
}

function requireQueue(queues: AdminQueues, name: string): Queue {
  const queue = queues.get(name);
  if (!queue) throw new AppError(404, 'QUEUE_NOT_FOUND', `no queue named ${name}`, { queues: [...queues.keys()] });
  return queue;
}

/** Whether a job belongs to the tenant: scan jobs carry tenantId in their data, maintenance jobs belong to no tenant. */
export function jobOfTenant(job: Pick<Job, 'data'>, tenantId: string): boolean {
  return (job.data as { tenantId?: unknown } | undefined)?.tenantId === tenantId;
}

/** The job, or 404; with a tenant scope, another tenant's job is a 404 too (the same answer as a job that does not exist). */
async function requireJob(queues: AdminQueues, queueName: string, jobId: string, tenantId: string | undefined): Promise<Job> {
  const job = await requireQueue(queues, queueName).getJob(jobId);
  if (!job || (tenantId !== undefined && !jobOfTenant(job, tenantId))) throw new AppError(404, 'JOB_NOT_FOUND', `no job ${jobId} in queue ${queueName}`);
  return job;
}

export async function describeQueues(queues: AdminQueues) {
  return Promise.all(
    [...queues.values()].map(async (queue) => ({
      name: queue.name,
      paused: await queue.isPaused(),
      counts: (await queue.getJobCounts(...jobStates)) as Record<JobStateName, number>,
    })),
  );
}

export async function pauseQueue(queues: AdminQueues, name: string, paused: boolean): Promise<void> {
  const queue = requireQueue(queues, name);
  await (paused ? queue.pause() : queue.resume());
}

/** Removes jobs in one state that finished (or were created) more than `olderThanMs` ago. */
export async function cleanQueue(queues: AdminQueues, name: string, state: (typeof cleanableStates)[number], olderThanMs: number, limit: number): Promise<number> {
  return (await requireQueue(queues, name).clean(olderThanMs, limit, state)).length;
}

/** Deletes the queue and all its jobs; refused while any job is active. */
export async function obliterateQueue(queues: AdminQueues, name: string): Promise<void> {
  const queue = requireQueue(queues, name);
  if ((await queue.getActiveCount()) > 0) throw new AppError(409, 'QUEUE_BUSY', `queue ${name} has active jobs; wait for them or pause the queue first`);
  await queue.obliterate();
}

/** How many of the newest jobs of a state a tenant-scoped listing reads, in pages of TENANT_SCAN_PAGE. */
export const TENANT_SCAN_LIMIT = 5_000;
const TENANT_SCAN_PAGE = 500;

/**
 * Jobs in one state, newest first. With a tenant scope, only that tenant's
 * jobs among the newest TENANT_SCAN_LIMIT of the state: `total` counts those,
 * and `partial` says the state held more jobs than were read.
 */
export async function listJobs(queues: AdminQueues, name: string, state: JobStateName, offset: number, limit: number, tenantId: string | undefined) {
  const queue = requireQueue(queues, name);
  if (tenantId === undefined) {
    const [jobs, counts] = await Promise.all([queue.getJobs([state], offset, offset + limit - 1), queue.getJobCounts(state)]);
    return { jobs: jobs.filter(Boolean) as Job[], total: counts[state] ?? 0, partial: false };
  }
  const matching: Job[] = [];
  let read = 0;
  for (; read < TENANT_SCAN_LIMIT; read += TENANT_SCAN_PAGE) {
    const page = await queue.getJobs([state], read, read + TENANT_SCAN_PAGE - 1);
    matching.push(...page.filter((job): job is Job => Boolean(job) && jobOfTenant(job, tenantId)));
    if (page.length < TENANT_SCAN_PAGE) return { jobs: matching.slice(offset, offset + limit), total: matching.length, partial: false };
  }
  const { [state]: inState = 0 } = await queue.getJobCounts(state);
  return { jobs: matching.slice(offset, offset + limit), total: matching.length, partial: inState > read };
}

export async function inspectJob(queues: AdminQueues, name: string, jobId: string, tenantId: string | undefined) {
  const job = await requireJob(queues, name, jobId, tenantId);
  const [state, logs] = await Promise.all([job.getState(), requireQueue(queues, name).getJobLogs(jobId, 0, 99)]);
  return { job, state, logs: logs.logs };
}

export async function retryJob(queues: AdminQueues, name: string, jobId: string, tenantId: string | undefined): Promise<void> {
  const job = await requireJob(queues, name, jobId, tenantId);
  if (!(await job.isFailed())) throw new AppError(409, 'JOB_NOT_FAILED', `job ${jobId} is ${await job.getState()}; only failed jobs can be retried`);
  await job.retry('failed');
}

export async function removeJob(queues: AdminQueues, name: string, jobId: string, tenantId: string | undefined): Promise<void> {
  const job = await requireJob(queues, name, jobId, tenantId);
  if (await job.isActive()) throw new AppError(409, 'JOB_ACTIVE', `job ${jobId} is running; it cannot be removed now`);
  await job.remove();
}

export async function promoteJob(queues: AdminQueues, name: string, jobId: string, tenantId: string | undefined): Promise<void> {
  const job = await requireJob(queues, name, jobId, tenantId);
  if (!(await job.isDelayed())) throw new AppError(409, 'JOB_NOT_DELAYED', `job ${jobId} is ${await job.getState()}; only delayed jobs can be promoted`);
  await job.promote();
}
