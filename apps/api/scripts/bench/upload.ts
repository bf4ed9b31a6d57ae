/**
 * `npm run bench:upload [-- --duration 10 --connections 20,100 --sizes 100,2048 --cpu-prof <dir>]` (sizes in KiB)
 *
 * autocannon against Billflow's real upload route (main.ts as a child process, API only)
 * and, in the same run and on the same s3rver, two bare Fastify + @fastify/multipart
 * servers: (a) discards the file, (b) streams it to S3 with Billflow's own S3 client.
 * Every request sends a different file (a 16-digit stamp rewritten in the PDF), so
 * Billflow takes the new-document path, never the duplicate one. Prints the table and
 * writes the "upload" section of BENCHMARKS.md. Needs PostgreSQL (BENCH_DATABASE_URL,
 * default postgresql://postgres@127.0.0.1:5432/billflow_bench) and redis-server on PATH.
 * Every server runs as in production, from `npm run build`'s apps/api/dist with plain node (the npm
 * script builds first). Besides each server's own CPU, every cell reports where the whole machine's CPU
 * went per request (server, S3 server, PostgreSQL, Redis, the load generator): on one machine these
 * share the cores, so the throughput ratios follow the machine's CPU per request, not the server's alone.
 * With --cpu-prof, every server writes a V8 CPU profile when it stops: Billflow into that directory, the
 * bare ones into its bare-s3/ and bare-discard/ (summarise one with scripts/bench/cpu-profile-summary.ts).
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { machineLine, writeBenchmarkSection } from '@billflow/benchmarks';
import { scanQueueNames } from '../../src/services/scan-queues.js';
import { multipartBody } from '../../test/helpers/multipart.js';
import { bareUploadServer, spawnBenchChild, type BenchChild } from './lib/bench-child.js';
import { benchPdf, stampOffsetIn, writeStamp, type BenchPdf } from './lib/bench-pdf.js';
import { startBenchServices } from './lib/bench-services.js';
import { cpuMs, cpuMsOfCommand, machineBusyMs } from './lib/process-stats.js';
import { versionsLine } from './lib/versions.js';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '20,100' }, sizes: { type: 'string', default: '100,2048' }, 'cpu-prof': { type: 'string' } },
});
const durationS = Number(values.duration);
const connectionCounts = values.connections.split(',').map(Number);
const sizesKiB = values.sizes.split(',').map(Number);
const WARM_UP_S = 3;
const profileDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : null;
/** Node arguments that make a server write its CPU profile into `subdirectory` of --cpu-prof's directory (none without it). */
const cpuProfileArgs = (subdirectory = '') => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, subdirectory)}`] : []);

interface Target {
  name: string;
  start(): Promise<BenchChild>;
  path: string;
  headers: Record<string, string>;
}

interface Cell {
  target: string;
  sizeKiB: number;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Machine CPU per request, by the process that spent it (`server`: the server under test). */
  machine: MachineCpu;
  /** Share of all cores that was busy during the run. */
  machineBusy: number;
  non2xx: number;
  errors: number;
}

/** CPU time in ms, so far or per request: the server under test, the other processes of the bench, and the whole machine. */
interface MachineCpu {
  server: number;
  s3: number;
  postgres: number;
  redis: number;
  loadGenerator: number;
  machine: number;
}

const cpuParts = ['server', 's3', 'postgres', 'redis', 'loadGenerator', 'machine'] as const;

let nextStamp = 1;
/** Responses per server and status code, warm-up included. */
const answeredBy = new Map<string, Record<string, number>>();

/** One autocannon run; every request carries the PDF with a new stamp. */
async function load(url: string, target: Target, pdf: BenchPdf, connections: number, duration: number) {
  const { payload, headers } = multipartBody(pdf.bytes, { filename: 'bench.pdf', contentType: 'application/pdf' });
  const stampOffset = stampOffsetIn(payload, pdf);
  const result = await autocannon({
    url,
    connections,
    duration,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        path: target.path,
        headers: { ...target.headers, ...headers },
        body: payload,
        // autocannon copies the body into each request as it builds it, so rewriting the shared buffer is safe.
        setupRequest: (request) => {
          writeStamp(payload, stampOffset, nextStamp++);
          return request;
        },
      },
    ],
  });
  const answered = answeredBy.get(target.name) ?? {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) answered[code] = (answered[code] ?? 0) + count;
  answeredBy.set(target.name, answered);
  return result;
}

/**
 * Waits until the server is idle (under 5% of a core for 250 ms, at most 30 s): autocannon
 * drops the connections of requests still in flight when a run ends, but the server
 * finishes them, and that work must not count in the next cell nor be cut by a stop.
 */
async function settle(pid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (let before = cpuMs(pid); Date.now() < deadline; ) {
    await sleep(250);
    const now = cpuMs(pid);
    if (now - before < 12.5) return;
    before = now;
  }
}

function readMachineCpu(serverPid: number): MachineCpu {
  const own = process.cpuUsage();
  return {
    server: cpuMs(serverPid),
    s3: cpuMs(services.s3.pid),
    postgres: cpuMsOfCommand('postgres'),
    redis: cpuMs(services.redis.pid),
    // autocannon runs in this process.
    loadGenerator: (own.user + own.system) / 1000,
    machine: machineBusyMs(),
  };
}

function perRequest(before: MachineCpu, after: MachineCpu, requests: number): MachineCpu {
  return Object.fromEntries(cpuParts.map((part) => [part, (after[part] - before[part]) / Math.max(1, requests)])) as unknown as MachineCpu;
}

async function measure(target: Target, pdfs: Map<number, BenchPdf>): Promise<Cell[]> {
  const server = await target.start();
  const cells: Cell[] = [];
  try {
    await load(server.url, target, pdfs.get(sizesKiB[0]!)!, 10, WARM_UP_S);
    for (const sizeKiB of sizesKiB) {
      for (const connections of connectionCounts) {
        await settle(server.pid);
        const cpuBefore = readMachineCpu(server.pid);
        const result = await load(server.url, target, pdfs.get(sizeKiB)!, connections, durationS);
        const machine = perRequest(cpuBefore, readMachineCpu(server.pid), result.requests.total);
        const statusCounts = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
        cells.push({
          target: target.name,
          sizeKiB,
          connections,
          requestsPerSecond: result.requests.total / result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          machine,
          machineBusy: (machine.machine * result.requests.total) / (result.duration * 1000 * availableParallelism()),
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
        });
        console.log(`${target.name} ${sizeKiB} KiB × ${connections}: ${cells.at(-1)!.requestsPerSecond.toFixed(1)} req/s, statuses ${JSON.stringify(statusCounts)}`);
      }
    }
    await settle(server.pid);
  } finally {
    await server.stop();
  }
  return cells;
}

const services = await startBenchServices();
try {
  const pdfs = new Map<number, BenchPdf>();
  for (const sizeKiB of sizesKiB) pdfs.set(sizeKiB, await benchPdf(sizeKiB * 1024));
  const bare = (mode: 'discard' | 's3') => () => spawnBenchChild([...cpuProfileArgs(`bare-${mode}`), bareUploadServer], { ...services.env, BARE_MODE: mode });
  const targets: Target[] = [
    {
      name: 'Billflow',
      start: () => services.startBillflow({}, { built: true, nodeArgs: cpuProfileArgs() }),
      path: `/api/entities/${services.entityId}/bills/scan`,
      headers: { authorization: `Bearer ${services.token}` },
    },
    { name: '(b) bare + S3', start: bare('s3'), path: '/upload', headers: {} },
    { name: '(a) bare discard', start: bare('discard'), path: '/upload', headers: {} },
  ];
  const cells: Cell[] = [];
  for (const target of targets) cells.push(...(await measure(target, pdfs)));

  // Every accepted upload is a new Document with a waiting job (no duplicate, no worker took one); uploads
  // in flight when a run ended were finished by the server too, so there can be more documents than 202s.
  const { '202': accepted = 0, '200': duplicates = 0 } = answeredBy.get('Billflow') ?? {};
  const documents = await services.db.document.count({ where: { entityId: services.entityId } });
  const queue = new Queue(scanQueueNames.bill, { connection: services.redis.client, prefix: services.env.QUEUE_PREFIX });
  const queued = (await queue.getJobCounts('wait')).wait ?? 0;
  await queue.close();

  const cell = (target: string, sizeKiB: number, connections: number) =>
    cells.find((entry) => entry.target === target && entry.sizeKiB === sizeKiB && entry.connections === connections)!;
  const ratios = sizesKiB.flatMap((sizeKiB) =>
    connectionCounts.map((connections) => {
      const billflow = cell('Billflow', sizeKiB, connections);
      const s3 = cell('(b) bare + S3', sizeKiB, connections);
      const discard = cell('(a) bare discard', sizeKiB, connections);
      return {
        sizeKiB,
        connections,
        billflowToS3: billflow.requestsPerSecond / s3.requestsPerSecond,
        s3ToDiscard: s3.requestsPerSecond / discard.requestsPerSecond,
        cpuBillflowToS3: billflow.machine.server / s3.machine.server,
        machineBillflowToS3: billflow.machine.machine / s3.machine.machine,
        // With the machine saturated, throughput follows machine CPU per request: this is Billflow's ratio if its server and
        // the S3 server cost what they cost for (b), and only the database and queue work (rows, job, rate limits) were added.
        ceiling: s3.machine.machine / (s3.machine.machine + billflow.machine.postgres + billflow.machine.redis),
      };
    }),
  );
  const goalMet = ratios.every((ratio) => ratio.billflowToS3 >= 0.8);
  const size = (kib: number) => (kib >= 1024 ? `${kib / 1024} MiB` : `${kib} KiB`);
  const markdown = [
    '## bench:upload — upload throughput against bare Fastify + multipart',
    '',
    machineLine(),
    versionsLine(await services.redis.info('redis_version')),
    `- Parameters: ${durationS} s per cell after a ${WARM_UP_S} s warm-up per server; connections ${connectionCounts.join(', ')}; PDF sizes ${sizesKiB.map(size).join(', ')} (${sizesKiB.map((kib) => pdfs.get(kib)!.bytes.length).join(', ')} bytes), a different file in every request.`,
    '- Servers: each its own Node process (plain node on the production build, no TypeScript loader) on the same s3rver process; Billflow is apps/api/dist/main.js with WORKER_ROLE=api, LOG_LEVEL=info, rate limits and load shedding on but set high enough never to refuse. autocannon runs in the bench process on the same machine.',
    `- Billflow answered 202 to ${accepted} uploads and 200 (duplicate) to ${duplicates}, warm-up included, and finished those cut off at the end of each run: ${documents} Document rows, ${queued} waiting jobs.`,
    '',
    '| Server | Size | Connections | req/s | p50 ms | p99 ms | server CPU ms/req | non-2xx | errors |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...cells.map(
      (entry) =>
        `| ${entry.target} | ${size(entry.sizeKiB)} | ${entry.connections} | ${entry.requestsPerSecond.toFixed(1)} | ${entry.p50} | ${entry.p99} | ${entry.machine.server.toFixed(2)} | ${entry.non2xx} | ${entry.errors} |`,
    ),
    '',
    `Where the machine's CPU went, in ms per request (all ${availableParallelism()} cores; "other" is the kernel's work outside these processes and the rest of the machine; /proc counts in ticks of 10 ms, so small values can come out slightly negative):`,
    '',
    '| Server | Size | Connections | machine busy | machine | server | S3 server | PostgreSQL | Redis | load generator | other |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...cells.map(({ machine, ...entry }) => {
      const other = machine.machine - machine.server - machine.s3 - machine.postgres - machine.redis - machine.loadGenerator;
      const ms = [machine.machine, machine.server, machine.s3, machine.postgres, machine.redis, machine.loadGenerator, other].map((value) => value.toFixed(2));
      return `| ${entry.target} | ${size(entry.sizeKiB)} | ${entry.connections} | ${(entry.machineBusy * 100).toFixed(0)}% | ${ms.join(' | ')} |`;
    }),
    '',
    '"Ceiling" is the req/s ratio Billflow would reach here if its server and the S3 server cost no more per request than for (b), and only its PostgreSQL and Redis work were added (throughput of a saturated machine follows its CPU per request).',
    '',
    '| Size | Connections | Billflow / (b) req/s | (b) / (a) req/s | Billflow / (b) server CPU per request | Billflow / (b) machine CPU per request | ceiling |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...ratios.map(
      (ratio) =>
        `| ${size(ratio.sizeKiB)} | ${ratio.connections} | ${ratio.billflowToS3.toFixed(2)} | ${ratio.s3ToDiscard.toFixed(2)} | ${ratio.cpuBillflowToS3.toFixed(2)} | ${ratio.machineBillflowToS3.toFixed(2)} | ${ratio.ceiling.toFixed(2)} |`,
    ),
    '',
    `**Goal (Billflow ≥ 0.8 × (b) in every cell): ${goalMet ? 'met' : 'not met'}.**`,
  ].join('\n');
  console.log(`\n${markdown}\n`);
  writeBenchmarkSection('upload', markdown);
  if (duplicates > 0 || documents < accepted || queued !== documents) throw new Error(`expected no duplicates and at least ${accepted} documents, each with a waiting job; found ${duplicates} duplicates, ${documents} documents, ${queued} jobs`);
} finally {
  await services.close();
}
