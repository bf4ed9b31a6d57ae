/** A run of text placed on a page, in top-down page units; y is the baseline. */
export interface PlacedText {
  text: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

/** Text on one visual row that is separated from its neighbours by a column-sized gap. */
export interface Cell {
  text: string;
  x: number;
  right: number;
  /** Largest font size in the cell. */
  size: number;
}

/** One visual row of a page. `text` joins the cells with a few spaces. */
export interface Line {
  page: number;
  y: number;
  /** Largest font size on the row, for judging prominence. */
  size: number;
  cells: Cell[];
  text: string;
}

const CELL_SEPARATOR = '   ';

/** Baselines closer than this fraction of the smaller font size belong to the same row. */
const ROW_TOLERANCE = 0.4;
/** Gaps (in font sizes) below which items are one word, and above which they are separate cells. */
const WORD_GAP = 0.1;
const CELL_GAP = 0.8;

export function buildLines(items: PlacedText[], page: number): Line[] {
  const sorted = items
    .map((item) => ({ ...item, text: normalizeSpaces(item.text) }))
    .filter((item) => item.text.trim() !== '')
    .sort((a, b) => a.y - b.y || a.x - b.x);

  const rows: PlacedText[][] = [];
  let row: PlacedText[] = [];
  let rowY = 0;
  let rowSize = 0;
  for (const item of sorted) {
    if (row.length > 0 && Math.abs(item.y - rowY) <= ROW_TOLERANCE * Math.min(rowSize, item.size)) {
      row.push(item);
      rowSize = Math.min(rowSize, item.size);
      continue;
    }
    if (row.length > 0) rows.push(row);
    row = [item];
    rowY = item.y;
    rowSize = item.size;
  }
  if (row.length > 0) rows.push(row);

  return rows.map((items) => {
    const cells = buildCells(items.sort((a, b) => a.x - b.x));
    return {
      page,
      y: items[0]?.y ?? 0,
      size: Math.max(...cells.map((cell) => cell.size)),
      cells,
      text: cells.map((cell) => cell.text).join(CELL_SEPARATOR),
    };
  });
}

function buildCells(items: PlacedText[]): Cell[] {
  const cells: Cell[] = [];
  let previous: PlacedText | undefined;
  for (const item of items) {
    const cell = cells.at(-1);
    if (previous && cell) {
      const gap = item.x - (previous.x + previous.width);
      const size = Math.max(previous.size, item.size);
      // Fake bold: the same text drawn twice with a tiny offset.
      if (item.text === previous.text && Math.abs(item.x - previous.x) < 0.2 * size) continue;
      if (gap < CELL_GAP * size) {
        const joiner = gap > WORD_GAP * size && !/\s$/.test(cell.text) && !/^\s/.test(item.text) ? ' ' : '';
        cell.text += joiner + item.text;
        cell.right = Math.max(cell.right, item.x + item.width);
        cell.size = Math.max(cell.size, item.size);
        previous = item;
        continue;
      }
    }
    cells.push({ text: item.text, x: item.x, right: item.x + item.width, size: item.size });
    previous = item;
  }
  return cells.flatMap(splitOnWideSpaces);
}

/** Some generators draw a whole table row as one string padded with spaces; split it into cells. */
function splitOnWideSpaces(cell: Cell): Cell[] {
  const perChar = (cell.right - cell.x) / Math.max(cell.text.length, 1);
  const parts: Cell[] = [];
  for (const match of cell.text.matchAll(/\S+(?: \S+)*/g)) {
    const start = cell.x + match.index * perChar;
    parts.push({ text: match[0], x: start, right: start + match[0].length * perChar, size: cell.size });
  }
  return parts;
}

function normalizeSpaces(text: string): string {
  return text.replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]/g, ' ');
}
