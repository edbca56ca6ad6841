import { assertAcceptableSize, assertValidFileName, evidenceFolderPath } from './evidence-paths';
import { toSafeFileName, toSafeNamePart } from '../domain/gates/evidence-file-name';

describe('evidence names', () => {
  test.each([
    ['Contoso', 'Contoso'],
    ['Contoso: "Main" <HQ>', 'Contoso- -Main- -HQ-'],
    ['  ..Fabrikam Ltd.. ', 'Fabrikam Ltd'],
    ['../13 Other', '-13 Other'],
    ['a\\b|c*d?e', 'a-b-c-d-e'],
    ['tab\tand\nnewline', 'tab-and-newline'],
    ['...', ''],
    ['CON', '_CON'],
  ])('folder part %j becomes %j', (input, expected) => {
    expect(toSafeNamePart(input)).toBe(expected);
  });

  test('folder parts are cut to 80 characters without a trailing dot or space', () => {
    const part = toSafeNamePart(`${'x'.repeat(79)} .tail`);
    expect(part.length).toBeLessThanOrEqual(80);
    expect(part).toBe('x'.repeat(79));
  });

  test('the folder path puts ids before names and falls back to the id alone', () => {
    expect(
      evidenceFolderPath({
        clientId: 12,
        clientName: '...',
        projectId: 345,
        projectName: 'Intranet / Phase 2',
        gateKey: 'UAT',
      }),
    ).toBe('Control Tower Evidence/12/345 Intranet - Phase 2/gate-UAT');
  });

  test('an uploaded name with a path keeps only its last part, cleaned', () => {
    expect(toSafeFileName('C:\\Users\\me\\UAT sign-off?.pdf')).toBe('UAT sign-off-.pdf');
    expect(toSafeFileName('../..')).toBe('evidence');
    expect(() => assertValidFileName(toSafeFileName('../12 Other/x.pdf'))).not.toThrow();
  });

  test('whatever a user uploads, the cleaned name is one put() accepts', () => {
    const pieces = [
      '.',
      ' ',
      '~$',
      '..',
      '/',
      '\\',
      ':',
      '*',
      '?',
      '"',
      '<',
      '>',
      '|',
      '\u0000',
      '\t',
      'a',
      'Z',
      '9',
      '-',
      '_',
      'é',
      'e\u0301',
      '😀',
      '\uD83D',
      'CON',
      'desktop.ini',
      '.lock',
      'x'.repeat(90),
    ];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i += 1) {
      const name = Array.from(
        { length: 1 + ((next() >>> 16) % 12) },
        () => pieces[(next() >>> 16) % pieces.length],
      ).join('');
      expect(() => assertValidFileName(toSafeFileName(name))).not.toThrow();
    }
  });

  test('a refused name says every reason', () => {
    expect(() => assertValidFileName(' bad:name.')).toThrow(
      /contains one of .*; it starts or ends with a dot or a space/,
    );
  });

  test('a file over the limit is refused with its size and the limit', () => {
    expect(() => assertAcceptableSize('big.zip', 11, 10)).toThrow(
      'Evidence file "big.zip" is 11 bytes; the limit is 10 bytes.',
    );
    expect(() => assertAcceptableSize('ok.zip', 10, 10)).not.toThrow();
  });
});
