/**
 * Tesseract settings used by both engines, chosen on the degraded test set (5 layouts × 7
 * degradations: clean, scanner noise, phone photo, 100 dpi, 4° skew, 72 dpi, faded print):
 * - thresholding_method 2 (Sauvola, local): photos lit unevenly and gray or noisy scans keep their
 *   text; with tesseract's default global Otsu whole pages of them came back empty (key fields
 *   right on 17 of 25 pages instead of 23, at the same speed).
 * - tessedit_pageseg_mode 4 (one column of text of variable sizes): reads each row across the page.
 *   The default (3, full layout analysis) drops small isolated text such as a quantity column of
 *   single digits and its "Qty" header: line items came out right on 10 of 35 pages instead of 21.
 *   Rows are rebuilt from word positions anyway. Mode 6 (one uniform block) read a little better
 *   but spent 50 s on a noisy photo.
 */
export const TESSERACT_PARAMETERS: Record<string, string> = {
  tessedit_pageseg_mode: '4',
  thresholding_method: '2',
};
