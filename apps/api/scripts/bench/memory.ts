/**
 * `npm run bench:memory [-- --uploads 20 --mib 10]`
 *
 * Sends `uploads` different PDFs of `mib` MiB at once to Billflow's real upload route
 * (a child process, API only) and samples the server's resident memory
 * (/proc/<pid>/status VmRSS) every 50 ms: baseline before the uploads, sampled peak and
 * the kernel's high-water mark (VmHWM); then the same against bench:upload's bare (b)
 * server, for what streaming to S3 alone costs. Goal: Billflow's peak under 250 MB.
 * Prints the table and writes the "memory" section of BENCHMARKS.md.
 * Both servers run as in production, from `npm run build`'s apps/api/dist with plain node
 * (the npm script builds first): tsx's compiled sources and source maps would add ~200 MB.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { machineLine, writeBenchmarkSection } from '@billflow/benchmarks';
import { multipartBody } from '../../test/helpers/multipart.js';
import { bareUploadServer, spawnBenchChild } from './lib/bench-child.js';
import { benchPdf, stampOffsetIn, writeStamp } from './lib/bench-pdf.js';
import { startBenchServices } from './lib/bench-services.js';
import { residentBytes } from './lib/process-stats.js';
import { versionsLine } from './lib/versions.js';

const { values } = parseArgs({
  options: { uploads: { type: 'string', default: '20' }, mib: { type: 'string', default: '10' } },
});
const uploads = Number(values.uploads);
const fileBytes = Number(values.mib) * 1024 * 1024;
const SAMPLE_MS = 50;
const GOAL_BYTES = 250 * 1000 * 1000;
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

const services = await startBenchServices();
try {
  const pdf = await benchPdf(fileBytes);
  const { payload, headers } = multipartBody(pdf.bytes, { filename: 'bench.pdf', contentType: 'application/pdf' });
  const stampOffset = stampOffsetIn(payload, pdf);
  const bodies = Array.from({ length: uploads }, (_, index) => {
    const body = Buffer.from(payload);
    writeStamp(body, stampOffset, index + 1);
    return body;
  });

  const maxUploadBytes = String(Math.max(fileBytes, 10 * 1024 * 1024));
  const targets = [
    {
      name: 'Billflow',
      path: `/api/entities/${services.entityId}/bills/scan`,
      start: () => services.startBillflow({ MAX_UPLOAD_BYTES: maxUploadBytes }, { built: true }),
    },
    {
      name: '(b) bare + S3',
      path: '/upload',
      start: () => spawnBenchChild([bareUploadServer], { ...services.env, MAX_UPLOAD_BYTES: maxUploadBytes, BARE_MODE: 's3' }),
    },
  ];

  const rows = [];
  for (const target of targets) {
    const server = await target.start();
    try {
      await sleep(2_000); // let startup allocations settle
      const baseline = residentBytes(server.pid);
      let peakRss = baseline.rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, residentBytes(server.pid).rss)), SAMPLE_MS);
      const started = performance.now();
      const statuses = await Promise.all(
        bodies.map(async (body) => {
          const response = await fetch(`${server.url}${target.path}`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${services.token}` }, body });
          await response.arrayBuffer();
          return response.status;
        }),
      );
      const elapsedS = (performance.now() - started) / 1000;
      await sleep(2 * SAMPLE_MS);
      clearInterval(sampler);
      const { rss, hwm } = residentBytes(server.pid);
      rows.push({ name: target.name, baseline: baseline.rss, peakRss: Math.max(peakRss, rss), hwm, elapsedS, statuses });
    } finally {
      await server.stop();
    }
  }

  const billflow = rows[0]!;
  const accepted = billflow.statuses.filter((status) => status === 202).length;
  const goalMet = billflow.hwm < GOAL_BYTES && accepted === uploads;
  const markdown = [
    '## bench:memory — server memory during concurrent large uploads',
    '',
    machineLine(),
    versionsLine(await services.redis.info('redis_version')),
    `- Parameters: ${uploads} concurrent uploads of different ${values.mib} MiB PDFs (${pdf.bytes.length} bytes); each server its own process run by plain node on the production build (Billflow apps/api/dist/main.js with WORKER_ROLE=api), on a private Redis and an s3rver process; VmRSS sampled every ${SAMPLE_MS} ms. (b) is bench:upload's bare Fastify + multipart route streaming to S3 with Billflow's ObjectStorage.put.`,
    ...rows.map((row) => `- ${row.name}: all uploads finished in ${row.elapsedS.toFixed(1)} s; statuses ${[...new Set(row.statuses)].join(', ')}.`),
    '',
    '| Server | Baseline RSS (idle, after start) | Peak RSS (sampled) | VmHWM (kernel peak) | Peak − baseline |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((row) => `| ${row.name} | ${mb(row.baseline)} MB | ${mb(row.peakRss)} MB | ${mb(row.hwm)} MB | ${mb(row.peakRss - row.baseline)} MB |`),
    '',
    `**Goal (Billflow's VmHWM under ${mb(GOAL_BYTES)} MB, all ${uploads} uploads accepted): ${goalMet ? 'met' : 'not met'}.**`,
  ].join('\n');
  console.log(`\n${markdown}\n`);
  writeBenchmarkSection('memory', markdown);
} finally {
  await services.close();
}
