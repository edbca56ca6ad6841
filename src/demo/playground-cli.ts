/**
 * `npm run playground [-- --as <persona>] [--port N] [--endpoint URL]`: writes the Agents
 * Playground's `.m365agentsplayground.yml` with that demo persona as the current user (default:
 * Alex Wilber, the Playground's own default), then starts the Playground against the running app.
 * Switching persona is running it again (the Playground reads the file only at start-up).
 * Run it through `npm run playground`, which sets `TEAMSAPPTESTER_BROWSER=none`.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findPersona, PLAYGROUND_CONFIG_FILE, playgroundConfig } from './playground-persona';

const { values } = parseArgs({
  options: {
    as: { type: 'string', default: 'alex' },
    port: { type: 'string', default: '56150' },
    endpoint: { type: 'string', default: 'http://localhost:3978/api/messages' },
  },
});
const found = findPersona(values.as ?? 'alex');
if (!found.ok) {
  console.error(found.message);
  process.exit(2);
}
if (!/^\d{2,5}$/.test(values.port ?? '')) {
  console.error(`--port must be a port number, not "${values.port}".`);
  process.exit(2);
}
const file = path.resolve(process.cwd(), PLAYGROUND_CONFIG_FILE);
writeFileSync(file, playgroundConfig(found.persona), 'utf8');
console.log(
  `You are ${found.persona.name} (${found.persona.roles.join(', ')}) in the Agents Playground: ${file}`,
);
console.log(`Open http://localhost:${values.port} once it says "Listening on ${values.port}".`);
const playground = spawn(
  process.execPath,
  [
    require.resolve('@microsoft/m365agentsplayground/cli.js'),
    '-e',
    values.endpoint ?? '',
    '-c',
    'msteams',
    '--dt',
    '-p',
    values.port ?? '56150',
  ],
  // The environment is inherited: `npm run playground` sets TEAMSAPPTESTER_BROWSER=none, without
  // which the Playground tries to open a browser and crashes where there is none.
  { stdio: 'inherit' },
);
const stop = (signal: NodeJS.Signals) => playground.kill(signal);
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
playground.on('exit', (code, signal) => {
  if (code !== 0 && code !== null) {
    console.error(
      `The Playground exited with ${code}: see devTools/m365agentsplayground.log (an invalid ${PLAYGROUND_CONFIG_FILE} makes it exit right after "Listening on").`,
    );
  }
  process.exit(code ?? (signal ? 1 : 0));
});
