import { Queue } from 'bullmq';

/** One completed scan job as BullMQ recorded it (ms timestamps), with the time its extraction took. */
export interface JobTiming {
  enqueuedAt: number;
  startedAt: number;
  finishedAt: number;
  extractionMs: number;
}

/**
 * The completed jobs of a scan queue by document id (the job id is the document id).
 * The server must keep them: run it with JOB_REMOVE_ON_COMPLETE_COUNT above the job count.
 */
export async function completedJobTimings(redisUrl: string, prefix: string, queueName: string): Promise<Map<string, JobTiming>> {
  const queue = new Queue(queueName, { connection: { url: redisUrl }, prefix });
  try {
    const jobs = await queue.getJobs(['completed']);
    const timings = new Map<string, JobTiming>();
    for (const job of jobs) {
      const extractionMs = (job.returnvalue as { extraction?: { durationMs?: number } } | null)?.extraction?.durationMs;
      if (!job.id || !job.processedOn || !job.finishedOn || extractionMs === undefined) continue;
      timings.set(job.id, { enqueuedAt: job.timestamp, startedAt: job.processedOn, finishedAt: job.finishedOn, extractionMs });
    }
    return timings;
  } finally {
    await queue.close();
  }
}
