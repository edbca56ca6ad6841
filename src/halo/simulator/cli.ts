/** Starts the HaloPSA simulator standalone: `npx tsx src/halo/simulator/cli.ts --profile demo --seed 7 --port 3980`. */
import { generateDataset } from './generator';
import { startSimulator } from './server';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const profile = arg('profile', 'demo');
  if (profile !== 'demo' && profile !== 'large') throw new Error('--profile must be demo or large');
  const seed = Number(arg('seed', '7'));
  const asOf = arg('as-of', new Date().toISOString().slice(0, 10));
  const port = Number(arg('port', '3980'));
  const started = Date.now();
  const dataset = generateDataset({ profile, seed, asOf });
  const generatedMs = Date.now() - started;
  const sim = await startSimulator({ dataset, port });
  process.stdout.write(
    `${JSON.stringify({
      url: sim.url,
      profile,
      seed,
      asOf,
      clientId: 'demo',
      clientSecret: 'demo',
      generatedMs,
      rssMb: Math.round(process.memoryUsage().rss / 1048576),
    })}\n`,
  );
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
