/** At most `size` tasks at a time; the rest wait in arrival order. Waiting can be aborted. */
export class Limiter {
  private running = 0;
  private readonly waiting: { start: () => void; reject: (reason: unknown) => void }[] = [];
  private closedError: Error | null = null;

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Rejects every waiting task and any later one. */
  close(error: Error): void {
    this.closedError = error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError);
    signal?.throwIfAborted();
    if (this.running < this.size) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.running++;
          resolve();
        },
        reject: (reason: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      const onAbort = (): void => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.start();
  }
}
