import { COMMAND_PATTERNS, commandArgument } from './commands';

describe('commands', () => {
  test.each([
    ['/health', 'health', ''],
    ['  /HEALTH   Contoso  migration ', 'health', 'Contoso  migration'],
    ['/health 1042', 'health', '1042'],
    ['/subscribe escalations Contoso Ltd', 'subscribe', 'escalations Contoso Ltd'],
    ['\u00a0/report', 'report', ''],
    ['/renewal Northwind Partners', 'renewal', 'Northwind Partners'],
    ['/renewals 60', 'renewals', '60'],
  ] as const)('%p matches %s with argument %p', (text, command, argument) => {
    expect(COMMAND_PATTERNS[command].test(text)).toBe(true);
    expect(commandArgument(command, text)).toBe(argument);
  });

  test.each(['/healthz', 'please /health', 'health', '/reports', '/report now'])(
    '%p is not a command',
    (text) => {
      expect(COMMAND_PATTERNS.health.test(text) || COMMAND_PATTERNS.report.test(text)).toBe(false);
    },
  );

  test('/renewals 90 is not /renewal, and /renewal is not /renewals', () => {
    expect(COMMAND_PATTERNS.renewal.test('/renewals 90')).toBe(false);
    expect(COMMAND_PATTERNS.renewals.test('/renewal 42')).toBe(false);
  });
});
