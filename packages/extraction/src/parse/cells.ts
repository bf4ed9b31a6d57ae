import type { Cell, Line } from '../layout.js';

/** Cells closer than this many font sizes may be one phrase split apart (wide word spacing, OCR word boxes). */
const PHRASE_GAP = 1.3;
const WORDS = /^[\p{L}&][\p{L}.&'’()/-]*(?:\s+[\p{L}.&'’()/#-]+)*[:.#]?$/u;
/** "#", "No.", "N°" after a word: the end of a label ("Trans" "#"). */
const NUMBER_SIGN = /^(?:#|n[°º®]\.?|no\.?|nr\.?):?$/iu;
/** Vertical rules of boxes and tables, which OCR reads as bars. */
const RULE = /\s*(?:\|{1,2}|¦)\s*/u;
const MARKER = /^(?:[$€£₹¥]|US\$|CA?\$|AU?\$|Rs\.?|EUR|USD|GBP|CHF|INR|CAD|AUD)$/;

/**
 * Rejoins what a wide gap split: words of one label or name ("TOTAL" "DUE"), and a currency sign and its
 * amount ("$" "16.32", "46,86" "€"). Numbers are never joined to words, so table columns stay apart.
 */
export function joinSplitCells(lines: Line[]): Line[] {
  return lines.map((line) => {
    const cells: Cell[] = [];
    for (const cell of line.cells.flatMap(splitAtRules)) {
      const previous = cells.at(-1);
      if (previous && belongTogether(previous, cell)) {
        cells[cells.length - 1] = { text: `${previous.text} ${cell.text}`, x: previous.x, right: cell.right, size: Math.max(previous.size, cell.size) };
        continue;
      }
      cells.push(cell);
    }
    const changed = cells.length !== line.cells.length || cells.some((cell, i) => cell !== line.cells[i]);
    return changed ? { ...line, cells, text: cells.map((cell) => cell.text).join('   ') } : line;
  });
}

/** "PO Number || Bill No." is two cells with a box rule between them. */
function splitAtRules(cell: Cell): Cell[] {
  if (!RULE.test(cell.text)) return [cell];
  const perChar = (cell.right - cell.x) / Math.max(cell.text.length, 1);
  const parts: Cell[] = [];
  let at = 0;
  for (const piece of cell.text.split(new RegExp(`(${RULE.source})`, 'u'))) {
    if (piece.trim() !== '' && !RULE.test(piece) && !/^[|¦\s]+$/u.test(piece)) {
      const start = cell.x + at * perChar;
      parts.push({ ...cell, text: piece.trim(), x: start, right: start + piece.trim().length * perChar });
    }
    at += piece.length;
  }
  return parts.length > 0 ? parts : [cell];
}

function belongTogether(left: Cell, right: Cell): boolean {
  if (right.x - left.right > PHRASE_GAP * Math.min(left.size, right.size)) return false;
  const a = left.text.trim();
  const b = right.text.trim();
  if (MARKER.test(a) && /^[-(]?\d/.test(b)) return true;
  if (/\d$/.test(a) && MARKER.test(b)) return true;
  if (WORDS.test(a) && NUMBER_SIGN.test(b)) return true;
  return WORDS.test(a) && WORDS.test(b) && !/:$/.test(a);
}
