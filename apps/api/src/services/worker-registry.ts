import type { Worker } from 'bullmq';

interface Tracked {
  worker: Worker;
  lastCompletedAt: Date | null;
}

export interface WorkerState {
  queue: string;
  running: boolean;
  paused: boolean;
  concurrency: number;
  lastCompletedAt: Date | null;
}

/** The workers this process runs, for /health/workers and shutdown. */
export class WorkerRegistry {
  private readonly tracked: Tracked[] = [];

  add(worker: Worker): void {
    const entry: Tracked = { worker, lastCompletedAt: null };
    worker.on('completed', () => {
      entry.lastCompletedAt = new Date();
    });
    this.tracked.push(entry);
  }

  get workers(): Worker[] {
    return this.tracked.map((entry) => entry.worker);
  }

  states(): WorkerState[] {
    return this.tracked.map(({ worker, lastCompletedAt }) => ({
      queue: worker.name,
      running: worker.isRunning(),
      paused: worker.isPaused(),
      concurrency: worker.concurrency,
      lastCompletedAt,
    }));
  }
}
