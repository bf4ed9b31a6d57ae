import type { Job, JobType, Queue } from 'bullmq';
import { AppError } from '../errors.js';

export const jobStates = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'waiting-children'] as const satisfies JobType[];
export type JobStateName = (typeof jobStates)[number];
export const cleanableStates = ['completed', 'failed', 'delayed', 'waiting', 'prioritized'] as const;

/** The queues operators may act on, by name. */
export type AdminQueues = ReadonlyMap<string, Queue>;

export function adminQueueMap(queues: Queue[]): AdminQueues {
  return new Map(queues.map((queue) => [queue.name, queue]));
}

function requireQueue(queues: AdminQueues, name: string): Queue {
  const queue = queues.get(name);
  if (!queue) throw new AppError(404, 'QUEUE_NOT_FOUND', `no queue named ${name}`, { queues: [...queues.keys()] });
  return queue;
}

async function requireJob(queues: AdminQueues, queueName: string, jobId: string): Promise<Job> {
  const job = await requireQueue(queues, queueName).getJob(jobId);
  if (!job) throw new AppError(404, 'JOB_NOT_FOUND', `no job ${jobId} in queue ${queueName}`);
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

export async function listJobs(queues: AdminQueues, name: string, state: JobStateName, offset: number, limit: number) {
  const queue = requireQueue(queues, name);
  const [jobs, counts] = await Promise.all([queue.getJobs([state], offset, offset + limit - 1), queue.getJobCounts(state)]);
  return { jobs: jobs.filter(Boolean) as Job[], total: counts[state] ?? 0 };
}

export async function inspectJob(queues: AdminQueues, name: string, jobId: string) {
  const job = await requireJob(queues, name, jobId);
  const [state, logs] = await Promise.all([job.getState(), requireQueue(queues, name).getJobLogs(jobId, 0, 99)]);
  return { job, state, logs: logs.logs };
}

export async function retryJob(queues: AdminQueues, name: string, jobId: string): Promise<void> {
  const job = await requireJob(queues, name, jobId);
  if (!(await job.isFailed())) throw new AppError(409, 'JOB_NOT_FAILED', `job ${jobId} is ${await job.getState()}; only failed jobs can be retried`);
  await job.retry('failed');
}

export async function removeJob(queues: AdminQueues, name: string, jobId: string): Promise<void> {
  const job = await requireJob(queues, name, jobId);
  if (await job.isActive()) throw new AppError(409, 'JOB_ACTIVE', `job ${jobId} is running; it cannot be removed now`);
  await job.remove();
}

export async function promoteJob(queues: AdminQueues, name: string, jobId: string): Promise<void> {
  const job = await requireJob(queues, name, jobId);
  if (!(await job.isDelayed())) throw new AppError(409, 'JOB_NOT_DELAYED', `job ${jobId} is ${await job.getState()}; only delayed jobs can be promoted`);
  await job.promote();
}
