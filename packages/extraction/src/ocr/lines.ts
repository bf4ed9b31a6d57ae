import { buildLines } from '../layout.js';
import type { Line, PlacedText } from '../layout.js';
import type { OcrLine, OcrPageResult, OcrWord } from './types.js';

/** A word placed on the page in page units (points), with the engine's confidence. */
export interface PlacedWord extends PlacedText {
  confidence: number;
  /** The engine's text line (unique within a document: page × 1,000,000 + line), for finding multi-word values. */
  lineIndex: number;
}

export interface OcrPageText {
  lines: Line[];
  /** Words in reading order, grouped by engine line (lineIndex). */
  words: PlacedWord[];
  /** Skew of the text in degrees (positive: lines fall to the right), already corrected in the coordinates. */
  skewDegrees: number;
}

// Glyph extents in em for common sans and serif faces: capitals and ascenders reach ~0.72 above the
// baseline, lowercase x-height is ~0.52, descenders go ~0.21 below, commas ~0.12.
const ASCENT = 0.73;
const X_HEIGHT = 0.53;
const DESCENT = 0.21;
const COMMA_DESCENT = 0.12;
const TALL = /[\p{Lu}\p{N}bdfhiklt!?'"#%&/\\()[\]{}|@$€£¥§\u00C0-\u024F]/u;
const DEEP = /[gjpqyQ()[\]{}|$@_µ]/u;
const COMMA = /[,;]/;
/** Words in which we trust the height for estimating the font size: at least two letters or digits. */
const MEASURABLE = /[\p{L}\p{N}].*[\p{L}\p{N}]/u;
/** A "word" without letters or digits (".", "-", "~"). */
const SPECK = /^[^\p{L}\p{N}]+$/u;
/** Lines whose sizes differ by less than this factor are taken as one font size. */
const SIZE_CLUSTER = 1.15;
/** Lines within this factor of the body size are body text. */
const BODY_SNAP = 1.13;
/** Skew beyond this is not corrected from word positions (the engine would have failed anyway). */
const MAX_SKEW_DEGREES = 10;

/**
 * Turns OCR lines into the same visual rows the text-layer path produces: words get a baseline and
 * a font size (estimated per engine line, then snapped to the page's few sizes) and page
 * coordinates in points (pixels × 72 / dpi). Slight skew of a scan or photo (the median baseline
 * slope of the lines) is rotated away, so that a row's label and its amount at the far right still
 * share a row.
 */
export function ocrPageToLines(result: OcrPageResult, pageNumber: number): OcrPageText {
  const lines = withoutDuplicates(result.lines);
  const scale = 72 / result.dpi;
  const ems = lines.map(lineEm);
  const fits = lines.map((line, i) => baselines(line, ems[i] ?? 1));
  const skew = estimateSkew(lines, ems, fits);
  const cos = Math.cos(-skew);
  const sin = Math.sin(-skew);
  const cx = result.width / 2;
  const cy = result.height / 2;
  const rotate = (x: number, y: number): [number, number] => [cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos];

  const sizes = clusterSizes(ems, lines.map((line) => line.words.length));
  const words: PlacedWord[] = [];
  lines.forEach((line, lineIndex) => {
    const size = (sizes[lineIndex] ?? ems[lineIndex] ?? 1) * scale;
    const fit = fits[lineIndex];
    line.words.forEach((word, wordIndex) => {
      const baseline = fit?.own[wordIndex] ?? fit?.at(word.left + word.width / 2) ?? word.top + word.height;
      const [x, y] = rotate(word.left, baseline);
      const [right] = rotate(word.left + word.width, baseline);
      words.push({
        text: word.text,
        x: x * scale,
        y: y * scale,
        width: Math.max(0, right - x) * scale,
        size,
        confidence: word.confidence,
        lineIndex: pageNumber * 1_000_000 + lineIndex,
      });
    });
  });
  return { lines: buildLines(words, pageNumber), words, skewDegrees: (skew * 180) / Math.PI };
}

/** Mean word confidence (0-1) over words with letters or digits, weighted by their length. */
export function meanWordConfidence(words: { text: string; confidence: number }[]): number | null {
  let weighted = 0;
  let chars = 0;
  for (const word of words) {
    const count = word.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
    weighted += word.confidence * count;
    chars += count;
  }
  return chars > 0 ? weighted / chars : null;
}

function descentOf(text: string): number {
  if (DEEP.test(text)) return DESCENT;
  return COMMA.test(text) ? COMMA_DESCENT : 0;
}

/** Height of a word's box in em, from the shapes of its characters. */
function heightInEm(text: string): number {
  return (TALL.test(text) ? ASCENT : X_HEIGHT) + descentOf(text);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return 0;
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Font size of an engine line in pixels. Three estimates, each of which errs on the large side: the
 * engine's x_size (too large on some small print), the line box height for the line's letters (too
 * large when the engine merged two nearly level rows into one line) and the words' boxes (the LSTM
 * engine often reports word boxes several pixels taller than the ink). The smallest wins.
 */
function lineEm(line: OcrLine): number {
  const measurable = line.words.filter((word) => MEASURABLE.test(word.text));
  const fromWords = measurable.length > 0 ? median(measurable.map((word) => word.height / heightInEm(word.text))) : Infinity;
  const fromBox = (line.bottom - line.top) / heightInEm(line.words.map((word) => word.text).join(' '));
  const fromEngine = line.xSize > 0 ? line.xSize : Infinity;
  const em = Math.min(fromWords, fromBox > 0 ? fromBox : Infinity, fromEngine);
  return Number.isFinite(em) && em > 0 ? em : Math.max(1, line.bottom - line.top);
}

interface Baselines {
  /** Baseline y at x for this line. */
  at: (x: number) => number;
  /** Slope measured from the words, or null when too few words to tell. */
  measuredSlope: number | null;
  /** Each word's own baseline, or null where its box is not believable (too tall or short for its letters). */
  own: (number | null)[];
}

/**
 * A line's baseline from its words: each word's box bottom less the descent its letters imply, for
 * words whose box height fits their letters (the engine sometimes reports boxes several pixels too
 * tall), with a robust slope (median of pairwise slopes). Falls back to the engine's baseline,
 * which is good on straight lines but often flat on skewed ones.
 */
function baselines(line: OcrLine, em: number): Baselines {
  const own = line.words.map((word) => {
    const expected = heightInEm(word.text) * em;
    const believable = MEASURABLE.test(word.text) && word.height >= 0.75 * expected && word.height <= 1.25 * expected;
    return believable ? word.top + word.height - descentOf(word.text) * em : null;
  });
  const points = line.words.flatMap((word, i) => (own[i] == null ? [] : [{ x: word.left + word.width / 2, y: own[i] ?? 0 }]));
  const engine = (x: number): number => line.bottom + line.offset + line.slope * (x - line.left);
  if (points.length === 0) return { at: engine, measuredSlope: null, own };
  const span = (points.at(-1)?.x ?? 0) - (points[0]?.x ?? 0);
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const p = points[i];
      const q = points[j];
      if (p && q && Math.abs(q.x - p.x) >= 2 * em) slopes.push((q.y - p.y) / (q.x - p.x));
    }
  }
  const slope = span >= 3 * em && slopes.length > 0 ? median(slopes) : line.slope;
  const intercept = median(points.map((point) => point.y - slope * point.x));
  return { at: (x) => intercept + slope * x, measuredSlope: points.length >= 3 && span >= 8 * em && slopes.length > 0 ? slope : null, own };
}

/**
 * Skew of the page (radians; positive = lines fall to the right): the median of the slopes measured
 * on lines with enough words, or of the engine's slopes when too few lines have them.
 */
function estimateSkew(lines: OcrLine[], ems: number[], fits: Baselines[]): number {
  let slopes = fits.flatMap((fit) => (fit.measuredSlope === null ? [] : [fit.measuredSlope]));
  if (slopes.length < 3) slopes = lines.filter((line, i) => line.words.length >= 2 && line.right - line.left >= 8 * (ems[i] ?? 1)).map((line) => line.slope);
  if (slopes.length < 3) return 0;
  const angle = Math.atan(median(slopes));
  // Below ~0.1° there is nothing to correct; beyond the limit the estimate is not trusted.
  if (Math.abs(angle) < 0.002 || Math.abs(angle) > (MAX_SKEW_DEGREES * Math.PI) / 180) return 0;
  return angle;
}

/**
 * Drops words the engine read twice: a word whose box lies mostly (60%+) inside the box of a word
 * with a higher confidence on another line (overlapping text lines of a skewed photo can be
 * recognised twice, "INV-2026-004" and "NV-2026-0042"), and punctuation-only specks of low confidence.
 */
function withoutDuplicates(lines: OcrLine[]): OcrLine[] {
  const all = lines.flatMap((line, lineIndex) => line.words.map((word) => ({ word, lineIndex })));
  all.sort((a, b) => a.word.left - b.word.left);
  const dropped = new Set<OcrWord>();
  for (let i = 0; i < all.length; i++) {
    const a = all[i];
    if (!a) continue;
    for (let j = i + 1; j < all.length; j++) {
      const b = all[j];
      if (!b || b.word.left >= a.word.left + a.word.width) break;
      if (a.lineIndex === b.lineIndex) continue;
      const overlapX = Math.min(a.word.left + a.word.width, b.word.left + b.word.width) - b.word.left;
      const overlapY = Math.min(a.word.top + a.word.height, b.word.top + b.word.height) - Math.max(a.word.top, b.word.top);
      if (overlapX <= 0 || overlapY <= 0) continue;
      const smaller = Math.min(a.word.width * a.word.height, b.word.width * b.word.height);
      if (overlapX * overlapY < 0.6 * smaller) continue;
      dropped.add(a.word.confidence >= b.word.confidence ? b.word : a.word);
    }
  }
  return lines
    .map((line) => ({ ...line, words: line.words.filter((word) => !dropped.has(word) && !(SPECK.test(word.text) && word.confidence < 0.5)) }))
    .filter((line) => line.words.length > 0);
}

/**
 * Snaps estimated sizes to a few values: the largest group of lines (by words) within ±13% of one
 * size is body text and gets exactly one size (their median), the rest are grouped with neighbours within
 * 15% of each other. OCR size estimates wobble by 10% or more, and the parser compares sizes
 * (wrapped descriptions share their row's size, the vendor name is larger than the body).
 */
function clusterSizes(sizes: number[], weights: number[]): number[] {
  // The body size: the size around which the most words lie (within ±13%).
  const near = (a: number, b: number): boolean => a >= b / BODY_SNAP && a <= b * BODY_SNAP;
  let best: number[] = [];
  let bestWeight = -1;
  for (const candidate of sizes) {
    const members = sizes.flatMap((size, i) => (near(size, candidate) ? [i] : []));
    const weight = members.reduce((sum, i) => sum + (weights[i] ?? 1), 0);
    if (weight > bestWeight) {
      best = members;
      bestWeight = weight;
    }
  }
  const byWeight: number[] = [];
  for (const i of best) for (let k = 0; k < (weights[i] ?? 1); k++) byWeight.push(sizes[i] ?? 0);
  const body = median(byWeight);
  const members = new Set(best);
  const result = sizes.map((size, i) => (members.has(i) ? body : size));
  const order = sizes
    .map((size, index) => ({ size, index }))
    .filter((item) => !members.has(item.index))
    .sort((a, b) => a.size - b.size);
  let cluster: typeof order = [];
  const flush = (): void => {
    const value = median(cluster.map((item) => item.size));
    for (const item of cluster) result[item.index] = value;
    cluster = [];
  };
  for (const item of order) {
    if (cluster.length > 0 && item.size > (cluster[0]?.size ?? 0) * SIZE_CLUSTER) flush();
    cluster.push(item);
  }
  if (cluster.length > 0) flush();
  return result;
}
