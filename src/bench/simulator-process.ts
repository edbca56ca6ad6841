/**
 * The HaloPSA simulator in a child process (src/halo/simulator/cli.ts with `--control stdin`), so
 * the dataset it generates and serves is not counted in the memory of the process that measures
 * the app. Commands go as JSON lines on its stdin; each is answered by one JSON line.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import type { Interface } from 'node:readline';
import type { HaloWebhookPayload } from '../halo/simulator/webhook-sender';
import { nextLine, startTsx } from './json-line-process';

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** The simulator child process and its JSON-line control channel. */
export class SimulatorProcess {
  /** Commands answer in order: one waiter per command sent. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: Interface,
    readonly url: string,
  ) {}

  static async start(
    profile: 'large' | 'demo',
    seed: number,
    asOf: string,
    scale = 1,
  ): Promise<SimulatorProcess> {
    const { child, lines } = startTsx(path.join(__dirname, '../halo/simulator/cli.ts'), [
      '--profile',
      profile,
      '--seed',
      String(seed),
      '--port',
      '0',
      '--as-of',
      asOf,
      '--control',
      'stdin',
      ...(scale === 1 ? [] : ['--scale', String(scale)]),
    ]);
    const first = await nextLine(lines);
    const started = JSON.parse(first) as { url: string; generatedMs: number; rssMb: number };
    log(
      `simulator ${profile} up at ${started.url} (generated in ${started.generatedMs} ms, ${started.rssMb} MB)`,
    );
    return new SimulatorProcess(child, lines, started.url);
  }

  /** Sends one command and resolves with its answer (commands are answered one at a time). */
  command<T>(cmd: Record<string, unknown>): Promise<T> {
    const answered = this.queue.then(async () => {
      const answer = nextLine(this.lines);
      this.child.stdin.write(`${JSON.stringify(cmd)}\n`);
      const parsed = JSON.parse(await answer) as T & { error?: string };
      if (typeof parsed.error === 'string') throw new Error(`simulator: ${parsed.error}`);
      return parsed as T;
    });
    this.queue = answered.catch(() => undefined);
    return answered;
  }

  /** Makes a served record read `value` at `field` (see HaloSimulator.corrupt). */
  async corrupt(resource: string, id: number, field: string, value: unknown): Promise<void> {
    await this.command({ cmd: 'corrupt', resources: [resource], id, field, value });
  }

  /** A HaloPSA-shaped webhook delivery for a ticket as currently served. */
  async webhookPayload(ticketId: number): Promise<HaloWebhookPayload> {
    return (await this.command<{ payload: HaloWebhookPayload }>({ cmd: 'webhook', ticketId }))
      .payload;
  }

  /** Stops the child (its pipes close when it has exited). */
  stop(): void {
    this.child.kill('SIGTERM');
  }
}
