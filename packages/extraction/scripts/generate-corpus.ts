/**
 * Writes the labelled corpus to disk for people to look at: each document (PDF, or PNG/JPEG/PDF for
 * scans) with its ground truth JSON beside it. Nothing here is committed; the benchmark and the
 * tests generate the same documents in memory from the same seed.
 *
 *   npx tsx --conditions=source packages/extraction/scripts/generate-corpus.ts [--out DIR] [--text 100] [--scans 20] [--seed N]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_SEED, scanCorpus, textCorpus, writeCorpusDocument } from '../test/corpus/corpus.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(packageRoot, '.data', 'corpus') },
    text: { type: 'string', default: '100' },
    scans: { type: 'string', default: '20' },
    seed: { type: 'string', default: String(BENCH_SEED) },
  },
});

const seed = Number(args.seed);
let written = 0;
for await (const document of textCorpus(seed, Number(args.text))) {
  await writeCorpusDocument(path.join(args.out, 'text'), document);
  written++;
}
for await (const document of scanCorpus(seed, Number(args.scans))) {
  await writeCorpusDocument(path.join(args.out, 'scan'), document);
  written++;
}
console.log(`Wrote ${written} documents with their truth to ${args.out}`);
