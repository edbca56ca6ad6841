import { COMMAND_PATTERNS, commandArgument } from './commands';

describe('commands', () => {
  test.each([
    ['/health', 'health', ''],
    ['  /HEALTH   Contoso  migration ', 'health', 'Contoso  migration'],
    ['/health 1042', 'health', '1042'],
    ['/subscribe escalations Contoso Ltd', 'subscribe', 'escalations Contoso Ltd'],
    ['\u00a0/report', 'report', ''],
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
});
