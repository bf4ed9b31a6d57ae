import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { PDFFont, PDFPage } from 'pdf-lib';

export type FontFamily = 'Helvetica' | 'Times' | 'Courier';

const FAMILIES: Record<FontFamily, [StandardFonts, StandardFonts]> = {
  Helvetica: [StandardFonts.Helvetica, StandardFonts.HelveticaBold],
  Times: [StandardFonts.TimesRoman, StandardFonts.TimesRomanBold],
  Courier: [StandardFonts.Courier, StandardFonts.CourierBold],
};

export interface TextOptions {
  size?: number;
  bold?: boolean;
  align?: 'left' | 'right' | 'center';
  /** 0 = black, 1 = white. */
  gray?: number;
}

/**
 * A drawing surface over pdf-lib with top-down coordinates (y grows downwards, text at its
 * baseline), so that layouts read like the page. Only WinAnsi text (the standard 14 fonts).
 */
export class Sheet {
  readonly pages: PDFPage[] = [];
  page!: PDFPage;

  private constructor(
    readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    readonly width: number,
    public height: number,
  ) {}

  static async create(family: FontFamily, size: [number, number]): Promise<Sheet> {
    const doc = await PDFDocument.create();
    doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
    doc.setModificationDate(new Date('2026-01-01T00:00:00Z'));
    doc.setProducer('billflow corpus');
    doc.setCreator('billflow corpus');
    const [regularName, boldName] = FAMILIES[family];
    const sheet = new Sheet(doc, await doc.embedFont(regularName), await doc.embedFont(boldName), size[0], size[1]);
    sheet.addPage();
    return sheet;
  }

  addPage(height = this.height): PDFPage {
    this.height = height;
    this.page = this.doc.addPage([this.width, height]);
    this.pages.push(this.page);
    return this.page;
  }

  font(bold = false): PDFFont {
    return bold ? this.bold : this.regular;
  }

  textWidth(text: string, size: number, bold = false): number {
    return this.font(bold).widthOfTextAtSize(winAnsi(text), size);
  }

  text(text: string, x: number, y: number, options: TextOptions = {}): void {
    const size = options.size ?? 10;
    const printable = winAnsi(text);
    if (printable.trim() === '') return;
    const width = this.textWidth(printable, size, options.bold);
    const left = options.align === 'right' ? x - width : options.align === 'center' ? x - width / 2 : x;
    const gray = options.gray ?? 0;
    this.page.drawText(printable, { x: left, y: this.height - y, size, font: this.font(options.bold), color: rgb(gray, gray, gray) });
  }

  /** A filled and/or outlined rectangle; y is its top edge. */
  rect(x: number, y: number, width: number, height: number, options: { fill?: number; stroke?: boolean } = {}): void {
    this.page.drawRectangle({
      x,
      y: this.height - y - height,
      width,
      height,
      ...(options.fill !== undefined ? { color: rgb(options.fill, options.fill, options.fill) } : {}),
      ...(options.stroke ? { borderColor: rgb(0, 0, 0), borderWidth: 0.6 } : {}),
    });
  }

  hline(x1: number, x2: number, y: number, thickness = 0.6): void {
    this.page.drawLine({ start: { x: x1, y: this.height - y }, end: { x: x2, y: this.height - y }, thickness, color: rgb(0, 0, 0) });
  }

  /** Splits text into lines no wider than `width`. */
  wrap(text: string, width: number, size: number, bold = false): string[] {
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(' ')) {
      const candidate = current ? `${current} ${word}` : word;
      if (current && this.textWidth(candidate, size, bold) > width) {
        lines.push(current);
        current = word;
      } else {
        current = candidate;
      }
    }
    if (current) lines.push(current);
    return lines;
  }

  async save(): Promise<Uint8Array> {
    return this.doc.save();
  }
}

/** Replaces characters the standard fonts cannot encode. */
export function winAnsi(text: string): string {
  return text.replace(/[\u202f\u2009]/g, '\u00a0').replace(/[^\x20-\x7e\u00a0-\u00ff€£¥œŒ–—‘’“”…•]/g, '?');
}
