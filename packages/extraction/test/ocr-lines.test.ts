import { describe, expect, it } from 'vitest';
import { parseHocr } from '../src/ocr/hocr.js';
import { meanWordConfidence, ocrPageToLines } from '../src/ocr/lines.js';
import type { OcrLine, OcrWord } from '../src/ocr/types.js';

const HOCR = `<?xml version="1.0" encoding="UTF-8"?>
<html><body>
  <div class='ocr_page' id='page_1' title='image "stdin"; bbox 0 0 1275 1651; ppageno 0; scan_res 150 150'>
   <div class='ocr_carea' id='block_1_1' title="bbox 107 99 566 130">
    <p class='ocr_par' id='par_1_1' lang='eng' title="bbox 107 99 566 130">
     <span class='ocr_header' id='line_1_1' title="bbox 107 99 566 130; baseline 0.002 -1; x_size 35.37; x_descenders 5.3; x_ascenders 8">
      <span class='ocrx_word' id='word_1_1' title='bbox 107 99 307 130; x_wconf 95'>M&#252;ller</span>
      <span class='ocrx_word' id='word_1_2' title='bbox 322 99 373 130; x_wconf 90'>&amp;</span>
      <span class='ocrx_word' id='word_1_3' title='bbox 389 100 566 130; x_wconf 94'><strong>S&#xF6;hne</strong></span>
     </span>
     <span class='ocr_line' id='line_1_2' title="bbox 106 161 353 177; baseline 0 -2; x_size 19.2; x_descenders 5.2; x_ascenders 4">
      <span class='ocrx_word' id='word_1_4' title='bbox 106 162 145 175; x_wconf 96'>1200</span>
      <span class='ocrx_word' id='word_1_5' title='bbox 153 161 208 175; x_wconf 40'>&lt;Market&gt;</span>
     </span>
     <span class='ocr_line' id='line_1_3' title="bbox 1 1 2 2; baseline 0 0; x_size 1"></span>
    </p>
   </div>
  </div>
</body></html>`;

/** A word box as an engine reports it for Helvetica-like print: cap height 0.73 em, x-height 0.53, descenders 0.21. */
function word(text: string, left: number, baseline: number, em: number, confidence = 0.95): OcrWord {
  const ascent = /[A-Z0-9$#bdfhijklt]/.test(text) ? 0.73 : 0.53;
  const descent = /[gjpqy$]/.test(text) ? 0.21 : /,/.test(text) ? 0.12 : 0;
  return { text, left, top: Math.round(baseline - ascent * em), width: text.length * em * 0.5, height: Math.round((ascent + descent) * em), confidence };
}

function line(words: OcrWord[], em: number): OcrLine {
  const left = Math.min(...words.map((w) => w.left));
  const right = Math.max(...words.map((w) => w.left + w.width));
  const top = Math.min(...words.map((w) => w.top));
  const bottom = Math.max(...words.map((w) => w.top + w.height));
  return { left, top, right, bottom, slope: 0, offset: 0, xSize: em, words };
}

describe('hOCR', () => {
  it('reads lines (with baseline and size) and words (with confidence), decoding entities and dropping markup', () => {
    const lines = parseHocr(HOCR);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ left: 107, top: 99, right: 566, bottom: 130, slope: 0.002, offset: -1, xSize: 35.37 });
    expect(lines[0]?.words.map((w) => w.text)).toEqual(['Müller', '&', 'Söhne']);
    expect(lines[1]?.words[1]).toEqual({ text: '<Market>', left: 153, top: 161, width: 55, height: 14, confidence: 0.4 });
  });
});

describe('OCR words to rows', () => {
  it('turns words into visual rows in points, with cells split at column gaps', () => {
    const em = 21; // 10 pt at 150 dpi
    const page = {
      width: 1275,
      height: 1650,
      dpi: 150,
      lines: [
        line([word('Invoice', 100, 300, em), word('#:', 180, 300, em)], em),
        // The amount column is a separate engine line on the same row.
        line([word('INV-2026-0042', 900, 301, em)], em),
        line([word('Total', 100, 400, em), word('Due', 160, 400, em)], em),
        line([word('$1,378.13', 900, 400, em)], em),
      ],
    };
    const { lines, skewDegrees } = ocrPageToLines(page, 1);
    expect(skewDegrees).toBe(0);
    expect(lines.map((l) => l.cells.map((c) => c.text))).toEqual([
      ['Invoice #:', 'INV-2026-0042'],
      ['Total Due', '$1,378.13'],
    ]);
    expect(lines[0]?.page).toBe(1);
    expect(lines[0]?.y).toBeCloseTo(144, 0); // 300 px at 150 dpi
    expect(lines[0]?.size).toBeCloseTo(10, 0);
  });

  it('rotates a skewed page straight so a label and its amount at the far right share a row', () => {
    const em = 21;
    const slope = Math.tan((3 * Math.PI) / 180); // 3° skew: 45 px drop over 850 px
    const at = (x: number, y: number): number => Math.round(y + slope * x);
    const rows = [200, 260, 320, 380];
    const page = {
      width: 1275,
      height: 1650,
      dpi: 150,
      lines: rows.flatMap((y, i) => [
        { ...line([word('Label', 100, at(100, y), em), word(`row${i}`, 158, at(158, y), em), word('text', 206, at(206, y), em), word('and', 254, at(254, y), em), word('more', 292, at(292, y), em)], em), slope },
        { ...line([word(`${i + 1}00.00`, 950, at(950, y), em)], em), slope },
      ]),
    };
    const { lines, skewDegrees } = ocrPageToLines(page, 1);
    expect(skewDegrees).toBeCloseTo(3, 0);
    expect(lines.map((l) => l.cells.map((c) => c.text))).toEqual([0, 1, 2, 3].map((i) => [`Label row${i} text and more`, `${i + 1}00.00`]));
  });

  it('drops words the engine read twice and low-confidence specks', () => {
    const em = 21;
    const first = word('INV-2026-004', 900, 300, em, 0.7);
    const second = { ...word('NV-2026-0042', 905, 302, em, 0.9) };
    const page = { width: 1275, height: 1650, dpi: 150, lines: [line([first], em), line([second, word('~', 1200, 302, em, 0.2)], em)] };
    expect(ocrPageToLines(page, 1).lines.map((l) => l.text)).toEqual(['NV-2026-0042']);
  });

  it('snaps wobbling size estimates of body text to one size and keeps headings larger', () => {
    const page = {
      width: 1275,
      height: 1650,
      dpi: 150,
      lines: [
        line([word('Northwind', 100, 120, 42), word('Traders', 330, 120, 42)], 42),
        line([word('Consulting', 100, 300, 20), word('services', 260, 300, 20)], 20),
        line([word('billing', 100, 325, 23), word('system', 230, 325, 23)], 23),
        line([word('Widget', 100, 360, 21)], 21),
      ],
    };
    const { lines } = ocrPageToLines(page, 1);
    const sizes = lines.map((l) => Math.round(l.size * 10) / 10);
    expect(new Set(sizes.slice(1)).size).toBe(1);
    expect(sizes[0]).toBeGreaterThan(1.7 * (sizes[1] ?? 0));
  });

  it('weights mean word confidence by letters and digits', () => {
    expect(meanWordConfidence([{ text: 'Total', confidence: 0.9 }, { text: '-', confidence: 0.1 }, { text: '10', confidence: 0.6 }])).toBeCloseTo((5 * 0.9 + 2 * 0.6) / 7);
    expect(meanWordConfidence([])).toBeNull();
  });
});
