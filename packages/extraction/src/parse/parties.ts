import type { Line } from '../layout.js';
import type { Field } from '../types.js';

const TITLE = /^(?:(?:tax|sales|commercial|pro[\s-]?forma|final|vat)\s+)?(?:invoice|bill|receipt|statement|quote|quotation|estimate|credit\s+note|debit\s+note)\b|^(?:original|copy|duplicate|paid|page\s+\d)/i;
const COMPANY_SUFFIX = /\b(?:inc|llc|l\.l\.c|ltd|limited|gmbh|corp|corporation|co|company|plc|pvt|llp|lp|s\.a|b\.v|ag|pty|s\.r\.l|sarl|oy|ab)\.?$/i;
const CONTACT = /@|https?:|www\.|\.(?:com|net|org|io|co\.uk)\b|^\+?[\d\s().-]{7,}$/i;

/** Whether a text can be a company or person name rather than an address, contact detail, date or amount. */
export function looksLikeName(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const digits = text.match(/\d/g)?.length ?? 0;
  return letters >= 2 && digits <= letters / 4 && text.length <= 80 && !/^\d/.test(text) && !CONTACT.test(text) && !TITLE.test(text);
}

/** How many lines from the top of page 1 may hold the vendor's name. */
const HEADER_LINES = 12;

/**
 * Without a "From"/"Vendor" label, the vendor is usually the most prominent name at the top of the
 * first page: a larger font than the body text, often with a company suffix.
 */
export function guessVendor(lines: Line[], isExcluded: (lineIndex: number, cellIndex: number) => boolean, customer: string | null): Field<string> {
  const firstPage = lines.filter((line) => line.page === lines[0]?.page);
  const sizes = firstPage.map((line) => line.size).sort((a, b) => a - b);
  const bodySize = sizes[Math.floor(sizes.length / 2)] ?? 1;
  let best: { text: string; score: number; prominent: boolean } | undefined;
  // The first page's lines come first, so indexes into it are indexes into `lines`.
  firstPage.slice(0, HEADER_LINES).forEach((line, lineIndex) => {
    line.cells.forEach((cell, cellIndex) => {
      const text = cell.text.trim();
      if (isExcluded(lineIndex, cellIndex) || !looksLikeName(text) || text === customer) return;
      const prominence = cell.size / bodySize;
      const suffix = COMPANY_SUFFIX.test(text);
      const score = prominence * 2 + (suffix ? 1 : 0) - lineIndex * 0.1;
      if (!best || score > best.score) best = { text, score, prominent: prominence >= 1.2 || suffix };
    });
  });
  if (!best) return { value: null, confidence: 0 };
  return { value: best.text, confidence: best.prominent ? 0.8 : 0.55 };
}
