/**
 * `npm run replay -- --from YYYY-MM-DD --to YYYY-MM-DD [--seed N] [--scenarios demo|independent]`
 * (SPEC §6, §9): sync a HaloPSA
 * once into a throw-away embedded database, then run the engines day by day with the clock set to
 * each day, printing one JSON line per state change and a summary line last.
 */
import { ConfigError, loadReplayConfigFromProcess } from '../config';
import { runReplay } from './run-replay';

function argument(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const today = new Date().toISOString().slice(0, 10);
  const to = argument(args, 'to') ?? today;
  const from =
    argument(args, 'from') ??
    new Date(Date.parse(`${to}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  const problems: string[] = [];
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
      problems.push(`--${name} must be a date YYYY-MM-DD (got "${value}")`);
    }
  }
  if (problems.length === 0 && from > to) problems.push('--from must not be after --to');
  const seed = Number(argument(args, 'seed') ?? 42);
  if (!Number.isInteger(seed)) problems.push('--seed must be an integer');
  const scenarios = argument(args, 'scenarios') ?? 'demo';
  if (scenarios !== 'demo' && scenarios !== 'independent') {
    problems.push(`--scenarios must be demo or independent (got "${scenarios}")`);
  }
  if (problems.length > 0) {
    process.stderr.write(`replay: ${problems.join('; ')}\n`);
    process.exit(2);
  }
  const config = loadReplayConfigFromProcess();
  await runReplay({
    config,
    from,
    to,
    seed,
    scenarios: scenarios === 'independent' ? 'independent' : 'demo',
    datasetAsOf: to,
    write: (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`replay failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
