import pino, { type Logger } from 'pino';

/** The structured JSON logger every component receives; child loggers add tenant and request ids. */
export type AppLogger = Logger;

/** Paths redacted from every log line, wherever they appear: secrets never reach the logs. */
const REDACT = [
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'access_token',
  'token',
  'authorization',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.access_token',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
];

/** Creates the root logger (JSON lines on stdout, or the given stream in tests). */
export function createLogger(
  level: string,
  base: Record<string, unknown>,
  destination?: pino.DestinationStream,
): AppLogger {
  return pino({ level, base, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}
