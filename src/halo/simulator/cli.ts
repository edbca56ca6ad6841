/**
 * Starts the HaloPSA simulator standalone: `npx tsx src/halo/simulator/cli.ts --profile demo --seed 7 --port 3980`
 * (`--profile independent` serves the independent scenario library of src/halo/scenarios;
 * `--scale F` sizes `--profile large`, 1 = 2,000 projects).
 * `--realistic` serves with hosted HaloPSA's habits (`realistic.ts`), with
 * `--token-lifetime-seconds N` to shorten its tokens; `--tenant T` names the tenant.
 * With `--control stdin` it also takes JSON-line commands on stdin and answers each with one JSON
 * line on stdout (used by the benchmark, which keeps the simulator's memory out of its own):
 * `{"cmd":"counts"}`, `{"cmd":"touch","resources":["tickets"],"fraction":0.01,"seed":1,"now":"ISO"}`,
 * `{"cmd":"corrupt","resources":["projects"],"id":1,"field":"projecttimebudget","value":2}` (one
 * record, as `HaloSimulator.corrupt`), `{"cmd":"webhook","ticketId":1}` (the webhook payload of a
 * ticket as served, to be sent by the asker).
 */
import { createInterface } from 'node:readline';
import { generateIndependentDataset } from '../scenarios/independent';
import { generateDataset } from './generator';
import type { RealisticOptions } from './realistic';
import { startSimulator } from './server';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** The realistic habits asked for on the command line, or false; throws listing every bad flag. */
function realisticFlags(): RealisticOptions | false {
  const lifetime = arg('token-lifetime-seconds', '');
  const realistic = process.argv.includes('--realistic');
  if (!realistic) {
    if (lifetime !== '') throw new Error('--token-lifetime-seconds needs --realistic');
    return false;
  }
  if (lifetime === '') return {};
  const seconds = Number(lifetime);
  if (!Number.isInteger(seconds) || seconds < 1)
    throw new Error('--token-lifetime-seconds must be a positive integer');
  return { tokenLifetimeSeconds: seconds };
}

/** `--scale F` sizes the large profile (1 = 2,000 projects; clients, tickets and timesheets alike). */
function scaleFlag(profile: string): number | undefined {
  const given = arg('scale', '');
  if (given === '') return undefined;
  const scale = Number(given);
  if (profile !== 'large') throw new Error('--scale applies to the large profile only');
  if (!Number.isFinite(scale) || scale <= 0) throw new Error('--scale must be a positive number');
  return scale;
}

async function main(): Promise<void> {
  const profile = arg('profile', 'demo');
  if (profile !== 'demo' && profile !== 'large' && profile !== 'independent') {
    throw new Error('--profile must be demo, large or independent');
  }
  const seed = Number(arg('seed', '7'));
  const asOf = arg('as-of', new Date().toISOString().slice(0, 10));
  const port = Number(arg('port', '3980'));
  const realistic = realisticFlags();
  const tenant = arg('tenant', '') || undefined;
  const started = Date.now();
  const dataset =
    profile === 'independent'
      ? generateIndependentDataset({ seed, asOf })
      : generateDataset({ profile, seed, asOf, scale: scaleFlag(profile) });
  const generatedMs = Date.now() - started;
  const sim = await startSimulator({ dataset, port, realistic, tenant });
  process.stdout.write(
    `${JSON.stringify({
      url: sim.url,
      profile,
      seed,
      asOf,
      realistic: realistic === false ? false : sim.habits,
      tenant: tenant ?? null,
      clientId: 'demo',
      clientSecret: 'demo',
      generatedMs,
      rssMb: Math.round(process.memoryUsage().rss / 1048576),
    })}\n`,
  );
  if (arg('control', '') === 'stdin') {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      const command = JSON.parse(line) as {
        cmd: string;
        resources?: string[];
        fraction?: number;
        seed?: number;
        now?: string;
        id?: number;
        field?: string;
        value?: unknown;
        ticketId?: number;
      };
      if (command.cmd === 'counts') {
        const names = [
          'statuses',
          'agents',
          'clients',
          'contracts',
          'projects',
          'tickets',
          'actions',
          'timesheetEvents',
          'recurringInvoices',
          'invoices',
        ];
        const counts = Object.fromEntries(names.map((n) => [n, sim.records(n).length]));
        process.stdout.write(`${JSON.stringify({ counts })}\n`);
      } else if (command.cmd === 'touch') {
        if (command.now) {
          const fixed = new Date(command.now);
          sim.setClock({ now: () => fixed });
        }
        const changed: Record<string, number> = {};
        for (const r of command.resources ?? []) {
          changed[r] = sim.touch(r, command.fraction ?? 0.01, command.seed ?? 1).length;
        }
        process.stdout.write(`${JSON.stringify({ changed })}\n`);
      } else if (command.cmd === 'corrupt') {
        try {
          sim.corrupt(
            command.resources?.[0] ?? '',
            Number(command.id),
            String(command.field),
            command.value,
          );
          process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
        } catch (error) {
          process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
        }
      } else if (command.cmd === 'webhook') {
        process.stdout.write(
          `${JSON.stringify({ payload: sim.webhookPayload(Number(command.ticketId)) })}\n`,
        );
      } else {
        process.stdout.write(`${JSON.stringify({ error: `unknown command ${command.cmd}` })}\n`);
      }
    });
  }
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
