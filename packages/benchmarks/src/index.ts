export { machineLine } from './machine.js';
export { benchmarksFile, writeBenchmarkSection } from './benchmarks-file.js';
export { percentile } from './percentile.js';
