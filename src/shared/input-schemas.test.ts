import fc from 'fast-check';
import {
  calendarDay,
  httpsUrl,
  isCleanText,
  recordId,
  recordIdText,
  safeText,
  toRecordId,
  toTextId,
  yearMonth,
} from './input-schemas';

describe('shared input schemas', () => {
  test('text with NUL or a bidirectional override is refused; long text is refused', () => {
    expect(safeText(20).safeParse('plain words').success).toBe(true);
    expect(safeText(20).safeParse('a\u0000b').success).toBe(false);
    expect(safeText(20).safeParse('evil\u202Etxt.exe').success).toBe(false);
    expect(safeText(20).safeParse('\u2066x\u2069').success).toBe(false);
    expect(safeText(20).safeParse('x'.repeat(21)).success).toBe(false);
    expect(isCleanText('Zoë — 😀')).toBe(true);
  });

  test('ids are positive safe integers: beyond bigint, 1e20, floats and negatives are refused', () => {
    expect(recordId.safeParse(42).success).toBe(true);
    expect(recordId.safeParse(Number.MAX_SAFE_INTEGER).success).toBe(true);
    for (const bad of [0, -1, 1.5, 1e20, 2 ** 63, Number.MAX_SAFE_INTEGER + 2]) {
      expect(recordId.safeParse(bad).success).toBe(false);
    }
    expect(recordIdText.safeParse('1042').success).toBe(true);
    for (const bad of ['99999999999999999999999', '9223372036854775808', '-1', '1e20', '1.5', '']) {
      expect(recordIdText.safeParse(bad).success).toBe(false);
    }
    expect(toRecordId('17')).toBe(17);
    expect(toRecordId(9223372036854776000)).toBeNull();
    expect(toRecordId({})).toBeNull();
  });

  test('links are https only', () => {
    expect(httpsUrl.safeParse('https://contoso.sharepoint.com/x').success).toBe(true);
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ms-word:ofe|u|https://evil.example/x.docx',
      'http://insecure.example/x',
      'https://a.example/\u202Eevil',
    ]) {
      expect(httpsUrl.safeParse(bad).success).toBe(false);
    }
  });

  test('months and days are within 2000–2100 and real', () => {
    expect(yearMonth.safeParse('2026-11').success).toBe(true);
    for (const bad of ['9999-12', '0000-01', '2026-13', '2026-1']) {
      expect(yearMonth.safeParse(bad).success).toBe(false);
    }
    expect(calendarDay.safeParse('2028-02-29').success).toBe(true);
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '9999-01-01', '2026-1-1']) {
      expect(calendarDay.safeParse(bad).success).toBe(false);
    }
  });
});

describe('toTextId', () => {
  test('accepts exactly what safeText(max) accepts, except the empty string', () => {
    const hostile = fc.constantFrom(
      '\u0000',
      '\u202A',
      '\u202E',
      '\u2066',
      '\u2069',
      'a',
      'é',
      ' ',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.array(hostile, { maxLength: 12 }).map((cs) => cs.join('')),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 10 }), (value, max) => {
        const expected = value !== '' && safeText(max).safeParse(value).success ? value : null;
        expect(toTextId(value, max)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    expect(toTextId(42)).toBeNull();
    expect(toTextId('x'.repeat(101))).toBeNull();
    expect(toTextId('x'.repeat(100))).toBe('x'.repeat(100));
  });
});
