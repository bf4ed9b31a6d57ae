import type { OcrLine, OcrWord } from './types.js';

const LINE_CLASSES = new Set(['ocr_line', 'ocr_caption', 'ocr_header', 'ocr_textfloat']);
/** Opening tags of lines and words with their title attribute; a word's text runs to its closing tag. */
const ELEMENT = /<span class=['"](ocr_line|ocr_caption|ocr_header|ocr_textfloat|ocrx_word)['"][^>]*?title=(["'])(.*?)\2[^>]*>/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Lines and words from tesseract's hOCR (the CLI's `hocr` config or tesseract.js's `hocr` output).
 * hOCR rather than TSV because its lines carry the engine's baseline and font size, which are
 * steadier than word boxes (the LSTM engine sometimes reports word boxes several pixels too tall).
 */
export function parseHocr(hocr: string): OcrLine[] {
  const lines: OcrLine[] = [];
  let line: OcrLine | null = null;
  for (const match of hocr.matchAll(ELEMENT)) {
    const [, kind = '', , title = ''] = match;
    const props = parseTitle(title);
    const bbox = props.get('bbox')?.map(Number);
    if (!bbox || bbox.length !== 4 || bbox.some((value) => !Number.isFinite(value))) continue;
    const [left = 0, top = 0, right = 0, bottom = 0] = bbox;
    if (LINE_CLASSES.has(kind)) {
      const [slope = 0, offset = 0] = (props.get('baseline') ?? []).map(Number);
      line = {
        left,
        top,
        right,
        bottom,
        slope: Number.isFinite(slope) ? slope : 0,
        offset: Number.isFinite(offset) ? offset : 0,
        xSize: Number(props.get('x_size')?.[0]) || bottom - top,
        words: [],
      };
      lines.push(line);
      continue;
    }
    if (!line) continue;
    const start = (match.index ?? 0) + match[0].length;
    const end = hocr.indexOf('</span>', start);
    const text = decode(hocr.slice(start, end < 0 ? undefined : end).replace(/<[^>]*>/g, '')).trim();
    const confidence = Number(props.get('x_wconf')?.[0]);
    if (text === '' || !Number.isFinite(confidence)) continue;
    const word: OcrWord = { text, left, top, width: right - left, height: bottom - top, confidence: Math.max(0, Math.min(1, confidence / 100)) };
    line.words.push(word);
  }
  return lines.filter((candidate) => candidate.words.length > 0);
}

/** `bbox 1 2 3 4; x_wconf 96` → { bbox: ['1','2','3','4'], x_wconf: ['96'] }. */
function parseTitle(title: string): Map<string, string[]> {
  const props = new Map<string, string[]>();
  for (const part of title.split(';')) {
    const [key, ...values] = part.trim().split(/\s+/);
    if (key) props.set(key, values);
  }
  return props;
}

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    return ENTITIES[body.toLowerCase()] ?? entity;
  });
}
