/**
 * What the JobExecution audit trail costs the job path.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/billflow REDIS_URL=redis://127.0.0.1:6379 \
 *     npx tsx --conditions=source apps/api/scripts/bench-job-executions.ts [jobs=500] [rounds=3]
 *
 * Runs `jobs` no-op jobs through a real BullMQ worker on the local Redis, with
 * and without trackExecutions (alternating, `rounds` times each, at
 * concurrency 1 and 8), and reports wall time per job plus the time spent
 * inside the tracking listeners — which run synchronously on the worker's
 * completion path, so that is exactly what the job path pays. The batched
 * database writes happen off that path; their time is reported separately.
 * Needs the migrated database (npm run dev or npm run seed); its rows are deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createDatabase } from '../src/db.js';
import { ExecutionRecorder, trackExecutions } from '../src/services/job-executions.js';

const jobs = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 3);
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/billflow';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench-${randomUUID().slice(0, 8)}`;

const db = createDatabase(databaseUrl);
const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
const logger = pino({ level: 'warn' });

interface Round {
  tracked: boolean;
  concurrency: number;
  msPerJob: number;
  listenerUsPerJob: number;
  flushMs: number;
  batches: number;
  writeMs: number;
}

async function runRound(tracked: boolean, concurrency: number): Promise<Round> {
  const name = `bench-${tracked ? 'tracked' : 'plain'}-${randomUUID().slice(0, 8)}`;
  const queue = new Queue(name, { connection, prefix });
  await queue.addBulk(Array.from({ length: jobs }, (_, index) => ({ name: 'noop', data: { index, tenantId: randomUUID() }, opts: { removeOnComplete: true } })));
  const worker = new Worker(name, async () => undefined, { connection, prefix, concurrency, autorun: false });
  const recorder = new ExecutionRecorder(db, logger);

  // Listeners run in registration order: the time between `before` and `after` is what tracking adds.
  let listenerMs = 0;
  let mark = 0;
  let done = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  worker.on('completed', () => void (mark = performance.now()));
  if (tracked) trackExecutions(worker, recorder);
  worker.on('completed', () => {
    listenerMs += performance.now() - mark;
    if (++done === jobs) finish();
  });

  const started = performance.now();
  void worker.run();
  await finished;
  const elapsed = performance.now() - started;
  await worker.close();
  const flushStarted = performance.now();
  await recorder.close();
  const flushMs = performance.now() - flushStarted;
  await queue.obliterate({ force: true });
  await queue.close();
  if (tracked && recorder.stats.written !== jobs) throw new Error(`expected ${jobs} rows, wrote ${recorder.stats.written}`);
  return { tracked, concurrency, msPerJob: elapsed / jobs, listenerUsPerJob: (listenerMs * 1000) / jobs, flushMs, batches: recorder.stats.batches, writeMs: recorder.stats.writeMs };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  await db.jobExecution.count(); // fails early when the table is missing
  await runRound(true, 1); // warm-up: connections, Lua scripts, Prisma's query compiler
  for (const concurrency of [1, 8]) {
    const results: Round[] = [];
    for (let round = 0; round < rounds; round++) {
      results.push(await runRound(false, concurrency));
      results.push(await runRound(true, concurrency));
    }
    const summary = (tracked: boolean) => {
      const of = results.filter((result) => result.tracked === tracked);
      return {
        msPerJob: median(of.map((result) => result.msPerJob)),
        listenerUsPerJob: median(of.map((result) => result.listenerUsPerJob)),
        totalMs: median(of.map((result) => result.msPerJob * jobs)),
        batchesPerRound: median(of.map((result) => result.batches)),
        insertMsPerRound: median(of.map((result) => result.writeMs)),
        flushOnCloseMs: median(of.map((result) => result.flushMs)),
      };
    };
    const plain = summary(false);
    const tracked = summary(true);
    console.log(
      JSON.stringify({
        jobs,
        rounds,
        concurrency,
        plain: { msPerJob: plain.msPerJob.toFixed(3), totalMs: plain.totalMs.toFixed(0), listenerUsPerJob: plain.listenerUsPerJob.toFixed(2) },
        tracked: {
          msPerJob: tracked.msPerJob.toFixed(3),
          totalMs: tracked.totalMs.toFixed(0),
          listenerUsPerJob: tracked.listenerUsPerJob.toFixed(2),
          batchesPerRound: tracked.batchesPerRound,
          insertMsPerRound: tracked.insertMsPerRound.toFixed(1),
          flushOnCloseMs: tracked.flushOnCloseMs.toFixed(1),
        },
        addedMsPerJob: (tracked.msPerJob - plain.msPerJob).toFixed(3),
      }),
    );
  }
} finally {
  await db.jobExecution.deleteMany({ where: { queue: { startsWith: 'bench-' } } });
  await db.$disconnect();
  connection.disconnect();
}
