import { describe, expect, it } from 'vitest';
import { dateOrderSettled, detectDateOrder, findDates, isAmbiguousDate, parseLeadingDate } from '../src/parse/dates.js';

describe('parseLeadingDate', () => {
  it.each([
    ['2026-11-22', 'MDY', '2026-11-22'],
    ['2026/03/04', 'DMY', '2026-03-04'],
    ['11/22/2026', 'MDY', '2026-11-22'],
    ['03/04/2026', 'MDY', '2026-03-04'],
    ['03/04/2026', 'DMY', '2026-04-03'],
    ['22/11/2026', 'MDY', '2026-11-22'],
    ['11/22/2026', 'DMY', '2026-11-22'],
    ['22.11.2026', 'MDY', '2026-11-22'],
    ['03.04.2026', 'MDY', '2026-04-03'],
    ['3-4-26', 'MDY', '2026-03-04'],
    ['04-03-2026', 'DMY', '2026-03-04'],
    ['22 Nov 2026', 'MDY', '2026-11-22'],
    ['22-Nov-2026', 'MDY', '2026-11-22'],
    ['22nd November, 2026', 'MDY', '2026-11-22'],
    ['1st of March 2026', 'MDY', '2026-03-01'],
    ['November 22, 2026', 'DMY', '2026-11-22'],
    ['Nov 22, 2026', 'MDY', '2026-11-22'],
    ['Sept. 5, 2026', 'MDY', '2026-09-05'],
    ['Sep 5 2026', 'MDY', '2026-09-05'],
    ['December 1st 2026', 'MDY', '2026-12-01'],
    ['29 Feb 2028', 'MDY', '2028-02-29'],
    ['on 5 May 2026', 'MDY', '2026-05-05'],
    ['22 Nov 2026 (Net 30)', 'MDY', '2026-11-22'],
    // German
    ['22. November 2026', 'DMY', '2026-11-22'],
    ['3. März 2026', 'DMY', '2026-03-03'],
    ['3. Maerz 2026', 'DMY', '2026-03-03'],
    ['12. Dez. 2026', 'DMY', '2026-12-12'],
    ['1. Mai 2026', 'MDY', '2026-05-01'],
    ['15. Okt 2026', 'DMY', '2026-10-15'],
    ['5. Jänner 2027', 'DMY', '2027-01-05'],
    ['31.12.26', 'DMY', '2026-12-31'],
    ['1.2.2026', 'MDY', '2026-02-01'],
    ['am 04.05.2026', 'DMY', '2026-05-04'],
    // French
    ['22 novembre 2026', 'DMY', '2026-11-22'],
    ['1er mars 2026', 'DMY', '2026-03-01'],
    ['5 févr. 2026', 'DMY', '2026-02-05'],
    ['17 août 2026', 'DMY', '2026-08-17'],
    ['9 décembre 2026', 'DMY', '2026-12-09'],
    ['le 3 juillet 2026', 'DMY', '2026-07-03'],
    ['30 juin 2026', 'DMY', '2026-06-30'],
    ['04/05/2026', 'DMY', '2026-05-04'],
    // Indian and other English forms
    ['22-Nov-2026', 'DMY', '2026-11-22'],
    ['22 NOV 2026', 'DMY', '2026-11-22'],
    ['22nd of November 2026', 'DMY', '2026-11-22'],
  ] as const)('%s (%s) → %s', (text, order, expected) => {
    expect(parseLeadingDate(text, order)).toBe(expected);
  });

  it.each(['31/02/2026', '29 Feb 2027', '13/13/2026', '2026-13-01', 'Net 30', 'INV-2026-11', 'Ref 12 Nov 2026'])('rejects %s', (text) => {
    expect(parseLeadingDate(text, 'MDY')).toBeNull();
  });
});

describe('findDates', () => {
  it('finds every date in a line, in order', () => {
    expect(findDates('Issued 2 March 2026   Due: 16/03/2026', 'DMY').map((d) => d.value)).toEqual(['2026-03-02', '2026-03-16']);
  });

  it('reads German and French month names in running text', () => {
    expect(findDates('Leistungszeitraum 1. März 2026 bis 31. März 2026', 'DMY').map((d) => d.value)).toEqual(['2026-03-01', '2026-03-31']);
    expect(findDates('Période du 1er avril 2026 au 30 avril 2026', 'DMY').map((d) => d.value)).toEqual(['2026-04-01', '2026-04-30']);
  });

  it('ignores phone numbers and sort codes', () => {
    expect(findDates('Tel 555-123-4567  Sort code 12-34-56', 'MDY')).toEqual([]);
  });
});

describe('dateOrderSettled and isAmbiguousDate', () => {
  it.each([
    ['Date 03/04/2026 Due 25/04/2026', true],
    ['Date 03/04/2026 Due 04/25/2026', true],
    ['Date 03/04/2026 Due 04/05/2026', false],
    ['Datum 03.04.2026', false],
  ] as const)('%s settled: %s', (text, settled) => {
    expect(dateOrderSettled(text)).toBe(settled);
  });

  it.each([
    ['03/04/2026', true],
    ['04-05-26', true],
    ['05/05/2026', false],
    ['13/04/2026', false],
    ['2026-04-03', false],
    ['3 April 2026', false],
  ] as const)('%s ambiguous: %s', (text, ambiguous) => {
    expect(isAmbiguousDate(text)).toBe(ambiguous);
  });
});

describe('detectDateOrder', () => {
  it.each([
    ['Date 03/04/2026 Due 25/04/2026', 'USD', 'DMY'],
    ['Date 03/04/2026 Due 04/25/2026', 'GBP', 'MDY'],
    ['Date 03/04/2026', 'USD', 'MDY'],
    ['Date 03/04/2026', null, 'MDY'],
    ['Date 03/04/2026', 'GBP', 'DMY'],
    ['Date 03/04/2026', 'EUR', 'DMY'],
    ['Date 03/04/2026', 'INR', 'DMY'],
    ['Date 03/04/2026 Sort code 12-34-56', 'GBP', 'DMY'],
  ] as const)('%s with %s → %s', (text, currency, order) => {
    expect(detectDateOrder(text, currency)).toBe(order);
  });
});
