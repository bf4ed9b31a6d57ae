import type { Queue } from 'bullmq';
import type { MaintenanceQueue } from './maintenance-queue.js';
import type { ScanQueues } from './scan-queues.js';

/** Every queue this service runs: for the admin API, Bull Board, worker health and metrics. */
export function allQueues(source: { queues: ScanQueues; maintenance: MaintenanceQueue }): Queue[] {
  return [...Object.values(source.queues), source.maintenance];
}
