/**
 * Extraction benchmark on the generated, labelled corpus: field accuracy per field for text-layer
 * PDFs and for scans, line-item F1, calibration at the review threshold, ms per page for each path
 * and peak memory. Prints the table and writes it to BENCHMARKS.md at the repository root.
 *
 *   npm run bench:extraction -- [--text 400] [--scans 60] [--workers 2] [--seed N] [--corpus-dir DIR] [--no-write]
 *
 * Each half runs in a child process of its own, so that its peak memory is its own.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  BENCH_SEED,
  FIELD_NAMES,
  REVIEW_THRESHOLD,
  evaluateScans,
  evaluateText,
  mistakes,
  scanCorpus,
  summarise,
  textCorpus,
  writeCorpusDocument,
} from '../test/corpus/corpus.js';
import type { Evaluated, ScannedCorpusDocument, Summary } from '../test/corpus/corpus.js';
import { benchmarksFile, writeBenchmarkSection } from '@billflow/benchmarks';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageRoot = path.resolve(here, '..');

const { values: args } = parseArgs({
  options: {
    phase: { type: 'string' },
    result: { type: 'string' },
    text: { type: 'string', default: '400' },
    scans: { type: 'string', default: '60' },
    workers: { type: 'string', default: String(Math.max(1, Math.min(2, os.cpus().length))) },
    seed: { type: 'string', default: String(BENCH_SEED) },
    'corpus-dir': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

const seed = Number(args.seed);
const textCount = Number(args.text);
const scanCount = Number(args.scans);
const workers = Number(args.workers);

interface PhaseResult {
  documents: number;
  pages: number;
  summary: Summary;
  /** Milliseconds per page inside extraction (the result's durationMs over its pages). */
  msPerPage: { mean: number; p50: number; p95: number; max: number };
  /** Pages per minute with `concurrency` documents in flight. */
  throughput: { pagesPerMinute: number; concurrency: number };
  generationMs: number;
  /** Peak resident memory of the benchmark process, and of it together with its OCR child processes. */
  peakRssMb: { process: number; withChildren: number };
  engine: string | null;
  byKind: Record<string, { documents: number; accuracy: number; f1: number }>;
  byLocale: Record<string, { documents: number; accuracy: number }>;
  leaks: string[];
  failures: string[];
  skipped?: string;
}

// ---- child: one half of the benchmark ------------------------------------------------------------

async function runPhase(phase: 'text' | 'scan'): Promise<PhaseResult> {
  const sampler = startRssSampler();
  const index = (await import('../src/index.js')) as Record<string, unknown>;
  const createExtractor = index.createExtractor as
    | ((options: { ocrWorkers?: number }) => { extract: (input: never) => Promise<never>; engine: string; close(): Promise<void> })
    | undefined;
  if (phase === 'scan' && typeof createExtractor !== 'function') return emptyPhase('createExtractor is not available yet', sampler.stop());

  const extractor = createExtractor ? createExtractor({ ocrWorkers: phase === 'scan' ? workers : 1 }) : null;
  const extract = extractor
    ? (input: never) => extractor.extract(input)
    : async (input: never) => ((await import('../src/index.js')) as unknown as { extractDocument: (input: never) => Promise<never> }).extractDocument(input);
  try {
    let evaluated: Evaluated[];
    let generationMs = 0;
    let wallMs = 0;
    if (phase === 'text') {
      // Warm-up (module loading, font data, JIT) on documents outside the measured set: a worker
      // process is warm after its first few documents, and stays so.
      await evaluateText(textCorpus(seed + 1, 20), extract);
      const documents = [];
      const generationStarted = performance.now();
      for await (const document of textCorpus(seed, textCount)) {
        documents.push(document);
        if (args['corpus-dir']) await writeCorpusDocument(path.join(args['corpus-dir'], 'text'), document);
      }
      generationMs = performance.now() - generationStarted;
      const started = performance.now();
      evaluated = await evaluateText(
        (async function* () {
          yield* documents;
        })(),
        extract,
      );
      wallMs = performance.now() - started;
    } else {
      const documents: ScannedCorpusDocument[] = [];
      const generationStarted = performance.now();
      for await (const document of scanCorpus(seed, scanCount)) {
        documents.push(document);
        if (args['corpus-dir']) await writeCorpusDocument(path.join(args['corpus-dir'], 'scan'), document);
      }
      generationMs = performance.now() - generationStarted;
      // Warm-up: the OCR pool starts on first use.
      for await (const warm of scanCorpus(seed + 1, 1)) await evaluateScans([warm], extract, 1);
      const started = performance.now();
      evaluated = await evaluateScans(documents, extract, workers);
      wallMs = performance.now() - started;
    }
    const rss = sampler.stop();
    return summarisePhase(evaluated, generationMs, wallMs, phase === 'scan' ? workers : 1, rss, extractor?.engine ?? null);
  } finally {
    await extractor?.close();
  }
}

function summarisePhase(evaluated: Evaluated[], generationMs: number, wallMs: number, concurrency: number, rss: PhaseResult['peakRssMb'], engine: string | null): PhaseResult {
  const scores = evaluated.map((entry) => entry.score);
  const perPage = scores.map((score) => score.durationMs / Math.max(1, score.pages)).sort((a, b) => a - b);
  const pages = scores.reduce((sum, score) => sum + score.pages, 0);
  const quantile = (q: number): number => perPage[Math.min(perPage.length - 1, Math.floor(q * perPage.length))] ?? 0;
  const group = (key: (score: (typeof scores)[number]) => string) => {
    const groups = new Map<string, typeof scores>();
    for (const score of scores) groups.set(key(score), [...(groups.get(key(score)) ?? []), score]);
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  };
  return {
    documents: scores.length,
    pages,
    summary: summarise(scores),
    msPerPage: { mean: perPage.reduce((a, b) => a + b, 0) / Math.max(1, perPage.length), p50: quantile(0.5), p95: quantile(0.95), max: perPage.at(-1) ?? 0 },
    throughput: { pagesPerMinute: wallMs > 0 ? (pages / wallMs) * 60_000 : 0, concurrency },
    generationMs,
    peakRssMb: rss,
    engine,
    byKind: Object.fromEntries(group((score) => score.kind).map(([kind, list]) => {
      const summary = summarise(list);
      return [kind, { documents: list.length, accuracy: summary.accuracy, f1: summary.lineItems.f1 }];
    })),
    byLocale: Object.fromEntries(group((score) => score.locale).map(([locale, list]) => [locale, { documents: list.length, accuracy: summarise(list).accuracy }])),
    leaks: evaluated.flatMap((entry) => entry.leaks.map((leak) => `${entry.score.id}: ${leak}`)),
    failures: scores.flatMap((score) => {
      const wrong = mistakes(score);
      const items = score.items.truePositives === score.items.expected && score.items.extracted === score.items.expected ? [] : [`items ${score.items.truePositives}/${score.items.expected} (extracted ${score.items.extracted})`];
      return wrong.length + items.length > 0 ? [`${score.id} ${score.design}\n    ${[...wrong, ...items].join('\n    ')}`] : [];
    }),
  };
}

function emptyPhase(reason: string, rss: PhaseResult['peakRssMb']): PhaseResult {
  return {
    documents: 0, pages: 0, summary: summarise([]), msPerPage: { mean: 0, p50: 0, p95: 0, max: 0 }, throughput: { pagesPerMinute: 0, concurrency: 0 },
    generationMs: 0, peakRssMb: rss, engine: null, byKind: {}, byLocale: {}, leaks: [], failures: [], skipped: reason,
  };
}

/** Peak RSS of this process (getrusage) and, sampled from /proc, of it plus its descendants (OCR processes). */
function startRssSampler(): { stop(): PhaseResult['peakRssMb'] } {
  let peakTotal = 0;
  const sample = (): void => {
    try {
      peakTotal = Math.max(peakTotal, treeRssKb(process.pid));
    } catch {
      // Not Linux: the process's own peak is all there is.
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      const own = process.resourceUsage().maxRSS / 1024;
      return { process: Math.round(own), withChildren: Math.round(Math.max(own, peakTotal / 1024)) };
    },
  };
}

function treeRssKb(root: number): number {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      parents.set(Number(entry), Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      rss.set(Number(entry), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    total += rss.get(pid) ?? 0;
    for (const [child, parent] of parents) if (parent === pid) stack.push(child);
  }
  return total;
}

// ---- parent: run both halves, print and write the table ------------------------------------------

async function runChild(phase: 'text' | 'scan'): Promise<PhaseResult> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'bench-extraction-'));
  const resultFile = path.join(directory, 'result.json');
  const childArgs = [...process.execArgv, fileURLToPath(import.meta.url), '--phase', phase, '--result', resultFile, '--seed', String(seed), '--text', String(textCount), '--scans', String(scanCount), '--workers', String(workers)];
  if (args['corpus-dir']) childArgs.push('--corpus-dir', args['corpus-dir']);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, childArgs, { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${phase} benchmark exited with ${code}`))));
    });
    return JSON.parse(await readFile(resultFile, 'utf8')) as PhaseResult;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
const ms = (value: number): string => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`);

function fieldCell(phase: PhaseResult, name: (typeof FIELD_NAMES)[number]): string {
  if (phase.documents === 0) return '–';
  const { correct, counted, accuracy } = phase.summary.fields[name];
  return counted === 0 ? '–' : `${percent(accuracy)} (${correct}/${counted})`;
}

function versions(): string[] {
  const require = createRequire(path.join(packageRoot, 'package.json'));
  const versionOf = (name: string): string => {
    // Some packages (sharp) do not export their package.json: find it above their entry point.
    try {
      let directory = path.dirname(require.resolve(name));
      while (directory !== path.dirname(directory)) {
        const file = path.join(directory, 'package.json');
        try {
          const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
          if (manifest.name === name && manifest.version) return manifest.version;
        } catch {
          // Not this directory.
        }
        directory = path.dirname(directory);
      }
    } catch {
      // Not installed.
    }
    return 'not installed';
  };
  let tesseract = 'not installed';
  try {
    tesseract = execFileSync('tesseract', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]?.trim() ?? tesseract;
  } catch {
    // The wasm engine then.
  }
  return [
    `Node ${process.version}`,
    `pdfjs-dist ${versionOf('pdfjs-dist')}`,
    `tesseract.js ${versionOf('tesseract.js')}`,
    `native ${tesseract}`,
    `sharp ${versionOf('sharp')}`,
    `@napi-rs/canvas ${versionOf('@napi-rs/canvas')}`,
    `pdf-lib ${versionOf('pdf-lib')}`,
  ];
}

function report(text: PhaseResult, scan: PhaseResult): string {
  const combinedConfident = text.summary.calibration.confident + scan.summary.calibration.confident;
  const combinedCorrect = text.summary.calibration.confidentCorrect + scan.summary.calibration.confidentCorrect;
  const combinedPrecision = combinedConfident === 0 ? 1 : combinedCorrect / combinedConfident;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const goal = (ok: boolean): string => (ok ? 'met' : '**not met**');
  const scanRan = scan.documents > 0;
  const lines: string[] = [];
  lines.push('## Extraction', '');
  lines.push(`Generated by \`npm run bench:extraction\` on ${new Date().toISOString().slice(0, 10)}.`, '');
  lines.push(`- Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}`);
  lines.push(`- Versions: ${versions().join(', ')}`);
  lines.push(`- Corpus: seed ${seed}; ${text.documents} text-layer PDFs (${text.pages} pages) and ${scan.documents} scans (${scan.pages} pages), generated by \`packages/extraction/test/corpus\` (what varies: packages/extraction/test/corpus/README.md). Review threshold ${REVIEW_THRESHOLD}.`);
  lines.push(`- OCR: engine ${scan.engine ?? 'n/a'}, ${workers} worker(s); scans extracted ${workers} at a time.`);
  if (scan.skipped) lines.push(`- Scans skipped: ${scan.skipped}.`);
  lines.push('');
  lines.push('### Goals', '');
  lines.push('| Goal | Measured | |', '|---|---|---|');
  lines.push(`| Text-layer PDFs ≥ 97% field accuracy | ${percent(text.summary.accuracy)} | ${goal(text.summary.accuracy >= 0.97)} |`);
  lines.push(`| Scans ≥ 90% field accuracy | ${scanRan ? percent(scan.summary.accuracy) : '–'} | ${scanRan ? goal(scan.summary.accuracy >= 0.9) : 'not run'} |`);
  lines.push(`| Line items F1 ≥ 0.9 (text / scans) | ${text.summary.lineItems.f1.toFixed(3)} / ${scanRan ? scan.summary.lineItems.f1.toFixed(3) : '–'} | ${goal(text.summary.lineItems.f1 >= 0.9 && (!scanRan || scan.summary.lineItems.f1 >= 0.9))} |`);
  lines.push(`| Fields at confidence ≥ ${REVIEW_THRESHOLD} right ≥ 98% | ${percent(combinedPrecision)} (${combinedCorrect}/${combinedConfident}) | ${goal(combinedPrecision >= 0.98)} |`);
  lines.push(`| Text-layer page < 50 ms inside extraction | mean ${ms(text.msPerPage.mean)}, p95 ${ms(text.msPerPage.p95)} | ${goal(text.msPerPage.p95 < 50)} |`);
  lines.push('');
  lines.push('### Field accuracy', '');
  lines.push('A field counts when the document states it or extraction reports it; it is right when the value matches the truth (amounts as numbers, names case- and space-insensitively, everything else exactly), and a value reported for a field the document does not have is wrong.', '');
  lines.push('| Field | Text-layer PDFs | Scans |', '|---|---|---|');
  for (const name of FIELD_NAMES) lines.push(`| ${name} | ${fieldCell(text, name)} | ${fieldCell(scan, name)} |`);
  lines.push(`| **all fields** | **${percent(text.summary.accuracy)}** | **${scanRan ? percent(scan.summary.accuracy) : '–'}** |`);
  lines.push('');
  lines.push('### Line items', '');
  lines.push('An item is right when amount, quantity and unit price match and the description is within 10% edits.', '');
  lines.push('| | Text-layer PDFs | Scans |', '|---|---|---|');
  for (const key of ['precision', 'recall', 'f1'] as const) lines.push(`| ${key} | ${text.summary.lineItems[key].toFixed(3)} | ${scanRan ? scan.summary.lineItems[key].toFixed(3) : '–'} |`);
  lines.push('');
  lines.push('### Calibration and routing', '');
  lines.push(`| | Text-layer PDFs | Scans | Both |`, '|---|---|---|---|');
  const cal = (phase: PhaseResult): string => (phase.documents === 0 ? '–' : `${percent(phase.summary.calibration.precision)} (${phase.summary.calibration.confidentCorrect}/${phase.summary.calibration.confident})`);
  lines.push(`| Fields at confidence ≥ ${REVIEW_THRESHOLD} that are right | ${cal(text)} | ${cal(scan)} | ${percent(combinedPrecision)} |`);
  lines.push(`| Stated fields reported right at ≥ ${REVIEW_THRESHOLD} (coverage) | ${percent(text.summary.calibration.coverage)} | ${scanRan ? percent(scan.summary.calibration.coverage) : '–'} | |`);
  const routed = (phase: PhaseResult): string => (phase.documents === 0 ? '–' : `${phase.summary.routing.automatic}/${phase.documents}, ${phase.summary.routing.automaticAllCorrect} fully right`);
  lines.push(`| Documents with overall confidence ≥ ${REVIEW_THRESHOLD} (skip review) | ${routed(text)} | ${routed(scan)} | |`);
  lines.push('');
  lines.push('### Speed and memory', '');
  lines.push('| | Text-layer PDFs | Scans (OCR) |', '|---|---|---|');
  lines.push(`| ms per page inside extraction, mean | ${ms(text.msPerPage.mean)} | ${scanRan ? ms(scan.msPerPage.mean) : '–'} |`);
  lines.push(`| ms per page, p50 / p95 / max | ${ms(text.msPerPage.p50)} / ${ms(text.msPerPage.p95)} / ${ms(text.msPerPage.max)} | ${scanRan ? `${ms(scan.msPerPage.p50)} / ${ms(scan.msPerPage.p95)} / ${ms(scan.msPerPage.max)}` : '–'} |`);
  lines.push(`| Throughput (documents in flight) | ${text.throughput.pagesPerMinute.toFixed(0)} pages/min (1) | ${scanRan ? `${scan.throughput.pagesPerMinute.toFixed(1)} pages/min (${scan.throughput.concurrency})` : '–'} |`);
  lines.push(`| Peak RSS, benchmark process | ${text.peakRssMb.process} MB | ${scan.peakRssMb.process} MB |`);
  lines.push(`| Peak RSS, with OCR child processes | ${text.peakRssMb.withChildren} MB | ${scan.peakRssMb.withChildren} MB |`);
  lines.push(`| Corpus generation (not in the timings) | ${ms(text.generationMs)} | ${ms(scan.generationMs)} |`);
  lines.push('');
  lines.push('### By document kind and locale', '');
  lines.push('| | Text: docs | accuracy | item F1 | Scans: docs | accuracy | item F1 |', '|---|---|---|---|---|---|---|');
  for (const kind of Object.keys({ ...text.byKind, ...scan.byKind }).sort()) {
    const t = text.byKind[kind];
    const s = scan.byKind[kind];
    lines.push(`| ${kind} | ${t?.documents ?? 0} | ${t ? percent(t.accuracy) : '–'} | ${t ? t.f1.toFixed(3) : '–'} | ${s?.documents ?? 0} | ${s ? percent(s.accuracy) : '–'} | ${s ? s.f1.toFixed(3) : '–'} |`);
  }
  lines.push('');
  lines.push('| Locale | Text: docs | accuracy | Scans: docs | accuracy |', '|---|---|---|---|---|');
  for (const locale of Object.keys({ ...text.byLocale, ...scan.byLocale }).sort()) {
    const t = text.byLocale[locale];
    const s = scan.byLocale[locale];
    lines.push(`| ${locale} | ${t?.documents ?? 0} | ${t ? percent(t.accuracy) : '–'} | ${s?.documents ?? 0} | ${s ? percent(s.accuracy) : '–'} |`);
  }
  lines.push('');
  lines.push('The corpus is synthetic: its layouts, wording and degradations are broad, but they are ours. Numbers on real documents will be lower; treat these as a regression baseline, not a promise.');
  return `${lines.join('\n')}\n`;
}

if (args.phase === 'text' || args.phase === 'scan') {
  const result = await runPhase(args.phase);
  if (args.result) writeFileSync(args.result, JSON.stringify(result));
  process.exit(0);
} else {
  console.log(`Benchmark: seed ${seed}, ${textCount} text PDFs, ${scanCount} scans, ${workers} OCR worker(s)`);
  const text = await runChild('text');
  console.log(`text: ${text.documents} documents done`);
  const scan = scanCount > 0 ? await runChild('scan') : emptyPhase('--scans 0', { process: 0, withChildren: 0 });
  console.log(`scans: ${scan.documents} documents done${scan.skipped ? ` (${scan.skipped})` : ''}`);
  const table = report(text, scan);
  console.log(`\n${table}`);
  if (args.verbose) {
    for (const [name, phase] of [['text', text], ['scan', scan]] as const) {
      console.log(`\n## ${name} failures (${phase.failures.length})\n${phase.failures.join('\n')}`);
    }
  }
  const leaks = [...text.leaks, ...scan.leaks];
  if (leaks.length > 0) console.error(`\nReasons quote document contents:\n${leaks.join('\n')}`);
  if (!args['no-write']) {
    writeBenchmarkSection('extraction', table);
    console.log(`Wrote the extraction section of ${benchmarksFile}`);
  }
}
