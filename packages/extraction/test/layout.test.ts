import { describe, expect, it } from 'vitest';
import { buildLines } from '../src/layout.js';
import type { PlacedText } from '../src/layout.js';

const item = (text: string, x: number, y: number, size = 10): PlacedText => ({ text, x, y, width: text.length * size * 0.5, size });

describe('buildLines', () => {
  it('puts items on the same baseline into one row, left to right', () => {
    const lines = buildLines([item('$240.00', 400, 100), item('Widget', 50, 100.8), item('4', 300, 99.5)], 1);
    expect(lines.map((line) => line.text)).toEqual(['Widget   4   $240.00']);
    expect(lines[0]?.cells.map((cell) => cell.text)).toEqual(['Widget', '4', '$240.00']);
  });

  it('keeps rows apart and orders them top to bottom', () => {
    const lines = buildLines([item('second', 50, 114), item('first', 50, 100)], 3);
    expect(lines.map((line) => [line.page, line.text])).toEqual([[3, 'first'], [3, 'second']]);
  });

  it('joins touching items into a word and nearby items with one space', () => {
    const lines = buildLines([item('Invo', 50, 100), item('ice', 70, 100), item('Total', 90, 100)], 1);
    expect(lines[0]?.text).toBe('Invoice Total');
  });

  it('does not merge a small line into a large heading just above it', () => {
    const lines = buildLines([item('ACME', 50, 100, 24), item('small print', 50, 106, 8)], 1);
    expect(lines).toHaveLength(2);
  });

  it('splits text padded with runs of spaces into cells', () => {
    const lines = buildLines([item('Widget      4      $240.00', 50, 100)], 1);
    expect(lines[0]?.cells.map((cell) => cell.text)).toEqual(['Widget', '4', '$240.00']);
  });

  it('drops fake-bold duplicates and blank items', () => {
    const lines = buildLines([item('TOTAL', 50, 100), item('TOTAL', 50.4, 100), item('   ', 80, 100)], 1);
    expect(lines[0]?.text).toBe('TOTAL');
  });

  it('records the largest font size of a row', () => {
    expect(buildLines([item('Big', 50, 100, 20), item('small', 300, 100, 8)], 1)[0]?.size).toBe(20);
  });
});
