import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A one-page PDF with the given lines of text; `salt` makes otherwise equal files distinct. */
export async function textPdf(lines: string[], salt = ''): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`test ${salt}`);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595, 842]);
  lines.forEach((line, index) => page.drawText(line, { x: 50, y: 790 - index * 18, size: 11, font }));
  return Buffer.from(await pdf.save());
}

/** The smallest valid PNG: 1×1 transparent pixel. */
export const tinyPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
