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

/** A PDF whose text layer takes seconds to read (about 50 ms per page here): a job that is still running when a test acts. */
export async function slowPdf(pages: number, salt = ''): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`slow ${salt}`);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let index = 0; index < pages; index++) {
    const page = pdf.addPage([595, 842]);
    for (let row = 0; row < 70; row++) {
      for (let column = 0; column < 12; column++) page.drawText(`w${index}.${row}.${column}`, { x: 20 + column * 47, y: 820 - row * 11.5, size: 7, font });
    }
  }
  return Buffer.from(await pdf.save());
}
