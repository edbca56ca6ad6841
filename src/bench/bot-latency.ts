/**
 * Bot latency for the benchmark (SPEC §8): p99 of `/health <project>` (activity in → reply at the
 * connector) and of an escalation `Action.Execute` (→ invoke response) at 50 concurrent
 * conversations, each against a minimal echo bot on the same stack in the same run. Measured in
 * three rounds (SPEC §8's "median of three rounds"). Within a round the paths and their echo
 * references take turns burst by burst, and every burst starts once the bot has settled what the
 * burst before left for after its answers: a round's ratio compares like with like, neither side
 * charged with a slower stretch of the machine or with another burst's follow-up work.
 */
import {
  Agent,
  createServer,
  request,
  type IncomingMessage,
  type Server as HttpServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { mountEchoBot } from '../../bot/echo-bot';
import { percentile } from './percentile';
import { dealRounds, LATENCY_ROUNDS } from './rounds';

/** A Bot Connector stand-in on loopback that tells who is waiting when a reply arrives. */
class ConnectorSink {
  private server: HttpServer | null = null;
  private readonly waiting = new Map<string, () => void>();
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      req.resume();
      req.on('end', () => {
        // A reply is a POST; a card update (PUT) the outbox sends to the same conversation later
        // must not count as the reply a message is waiting for.
        const match =
          req.method === 'POST'
            ? /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '')
            : null;
        const conversation = match ? decodeURIComponent(match[1]!) : '';
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: `reply-${Date.now()}` }));
        this.waiting.get(conversation)?.();
        this.waiting.delete(conversation);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves when the next activity for `conversation` reaches the connector. */
  replyTo(conversation: string): Promise<void> {
    return new Promise((resolve) => this.waiting.set(conversation, resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

let sequence = 0;

/** The Playground's Alex Wilber (admin, delivery director): the sender when no people are given. */
const ALEX = {
  id: '29:bench',
  name: 'Alex Wilber',
  aadObjectId: '00000000-0000-0000-0000-0000000000020',
};

/** Someone the bot knows: an Entra object id and a display name. */
export interface BenchPerson {
  aadObjectId: string;
  name: string;
}

/** `person` as the `from` of an activity. */
function sender(person: BenchPerson): Record<string, unknown> {
  return { id: `29:${person.aadObjectId}`, name: person.name, aadObjectId: person.aadObjectId };
}

function activity(
  serviceUrl: string,
  conversation: string,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  sequence += 1;
  return {
    id: `bench-${sequence}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: ALEX,
    recipient: { id: '28:bot', name: 'Control Tower' },
    conversation: { id: conversation, conversationType: 'personal', tenantId: 'bench' },
    channelData: { tenant: { id: 'bench' } },
    ...fields,
  };
}

/**
 * Posts `body` to the bot at `botUrl` and reads its answer to the end; the status. On `node:http`
 * with a keep-alive `agent`, not `fetch`: the measuring client runs in the bots' process, and
 * `fetch`'s web streams allocated about as much per request as the bots' own work, so its
 * collections, falling on whichever path was being measured, blurred the comparison.
 */
function postActivity(
  agent: Agent,
  botUrl: string,
  body: Record<string, unknown>,
): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const sent = request(
      `${botUrl}/api/messages`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (response) => {
        response.on('error', reject);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.resume();
      },
    );
    sent.on('error', reject);
    sent.end(payload);
  });
}

/** Burst `r` of `concurrency` simultaneous requests (request i is `r * concurrency + i`). */
async function burst(
  concurrency: number,
  r: number,
  one: (i: number) => Promise<void>,
): Promise<number[]> {
  return Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const started = process.hrtime.bigint();
      await one(r * concurrency + i);
      return Number(process.hrtime.bigint() - started) / 1e6;
    }),
  );
}

/** What one round of the latency phase measured, in milliseconds. */
export interface BotLatencyRound {
  healthP99: number;
  echoMessageP99: number;
  executeP99: number;
  echoExecuteP99: number;
  /** Gate Approve at `concurrency` approvers per gate; null when the round had no gate. */
  approveP99: number | null;
  approveSamples: number;
  /**
   * The longest wait, after an Approve burst, for the bot to settle what the approval left for
   * after its answers (the evidence pack archive, refusals' audit entries) before the next burst.
   */
  approveSettledMs: number | null;
}

/** What the latency phase measured: its rounds, and the samples each path took per round. */
export interface BotLatency {
  rounds: BotLatencyRound[];
  samplesPerRound: number;
}

/** Pending gates for the Approve figure, one per burst (dealt out over the rounds), and the approvers. */
export interface ApproveLoad {
  gates: { gateId: string; packVersion: number }[];
  approvers: BenchPerson[];
}

/**
 * Measures the bot at `botUrl` (a running Control Tower in demo mode) against an echo bot started
 * here on the same stack. `projectIds` feed `/health <id>`; `escalationIds` feed Acknowledge.
 */
export async function measureBotLatency(options: {
  botUrl: string;
  projectIds: number[];
  escalationIds: string[];
  /**
   * Who is in the conversations (conversation i is person i's 1:1 chat, as in Teams, where a
   * personal chat with the bot is one person's): delivery directors; Alex Wilber in all of them
   * when not given.
   */
  people?: readonly BenchPerson[];
  concurrency?: number;
  /** Bursts of `concurrency` requests per path and round. */
  burstsPerRound?: number;
  latencyRounds?: number;
  approve?: ApproveLoad;
  /**
   * Resolves when the bot has finished what earlier requests left for after their answers (the
   * evidence pack archive of an approval, refusals' audit entries): awaited before every burst.
   */
  settle?: () => Promise<void>;
}): Promise<BotLatency> {
  const concurrency = options.concurrency ?? 50;
  const count = options.burstsPerRound ?? 10;
  const latencyRounds = options.latencyRounds ?? LATENCY_ROUNDS;
  const sink = new ConnectorSink();
  await sink.start();
  const agent = new Agent({ keepAlive: true });
  const quiet = {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    debug: () => undefined,
  };
  const echo = restify.createServer({ name: 'echo', handleUncaughtExceptions: false });
  echo.use(restify.plugins.bodyParser({ mapParams: false }));
  mountEchoBot(
    echo,
    { mode: 'demo', appId: null, password: null, managedIdentity: false, tenantId: null },
    quiet,
  );
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const echoUrl = `http://127.0.0.1:${echo.address().port}`;

  const people = options.people ?? [];
  const personIn = (i: number) =>
    people.length === 0 ? ALEX : sender(people[(i % concurrency) % people.length]!);
  const messageRound = (botUrl: string, text: (i: number) => string) => async (i: number) => {
    const conversation = `a:bench-${i % concurrency}`;
    const replied = sink.replyTo(conversation);
    const status = await postActivity(
      agent,
      botUrl,
      activity(sink.url, conversation, { from: personIn(i), type: 'message', text: text(i) }),
    );
    if (status >= 400) throw new Error(`bot answered ${status}`);
    await replied;
  };
  const executeRound =
    (
      botUrl: string,
      verb: string,
      data: (i: number) => Record<string, unknown>,
      from: (i: number) => Record<string, unknown> = personIn,
    ) =>
    async (i: number) => {
      const conversation = `a:bench-${i % concurrency}`;
      const status = await postActivity(
        agent,
        botUrl,
        activity(sink.url, conversation, {
          from: from(i),
          type: 'invoke',
          name: 'adaptiveCard/action',
          replyToId: `card-${i}`,
          value: { action: { type: 'Action.Execute', verb, data: data(i) }, trigger: 'manual' },
        }),
      );
      if (status !== 200) throw new Error(`invoke answered ${status}`);
    };

  try {
    // Warm both bots up before measuring.
    await burst(
      concurrency,
      0,
      messageRound(options.botUrl, () => '/help'),
    );
    await burst(
      concurrency,
      0,
      messageRound(echoUrl, () => 'hello'),
    );
    const projectAt = (i: number) => options.projectIds[i % options.projectIds.length]!;
    const escalationAt = (i: number) => options.escalationIds[i % options.escalationIds.length]!;
    const load = options.approve;
    const gatesByRound =
      load && load.approvers.length > 0
        ? dealRounds(load.gates, latencyRounds)
        : Array.from({ length: latencyRounds }, () => []);
    const measured: BotLatencyRound[] = [];
    const settle = options.settle ?? (() => Promise.resolve());
    const paths = {
      health: messageRound(options.botUrl, (i) => `/health ${projectAt(i)}`),
      echoMessage: messageRound(echoUrl, (i) => `/health ${projectAt(i)}`),
      execute: executeRound(options.botUrl, 'escalation.acknowledge', (i) => ({
        escalationId: escalationAt(i),
      })),
      echoExecute: executeRound(echoUrl, 'echo', () => ({})),
    };
    for (const gates of gatesByRound) {
      // Approve: each burst, `concurrency` different PMO leads press Approve on one fresh gate at
      // once — one decides, the others get the decided card (SPEC §2.4's concurrent clicks).
      const roundPaths = {
        ...paths,
        approve:
          load && gates.length > 0
            ? executeRound(
                options.botUrl,
                'gate.approve',
                (i) => gates[Math.floor(i / concurrency)]!,
                (i) => sender(load.approvers[i % load.approvers.length]!),
              )
            : null,
      };
      const samples: Record<keyof typeof roundPaths, number[]> = {
        health: [],
        echoMessage: [],
        execute: [],
        echoExecute: [],
        approve: [],
      };
      // The paths take turns burst by burst, the order reversed every other burst, so a slower
      // stretch of the machine, and what settling does not cover (collection, the outbox's card
      // updates), fall on a path and its echo reference alike; each burst starts once the bot has
      // settled what the burst before left for after its answers.
      const settledAfterApprove: number[] = [];
      let approvedLast = false;
      const settled = async () => {
        const started = process.hrtime.bigint();
        await settle();
        if (approvedLast) settledAfterApprove.push(Number(process.hrtime.bigint() - started) / 1e6);
        approvedLast = false;
      };
      for (let r = 0; r < count; r++) {
        const order = ['health', 'echoMessage', 'execute', 'echoExecute', 'approve'] as const;
        for (const name of r % 2 === 0 ? order : [...order].reverse()) {
          const path = roundPaths[name];
          // Approve has one burst per gate of the round.
          if (path === null || (name === 'approve' && r >= gates.length)) continue;
          await settled();
          samples[name].push(...(await burst(concurrency, r, path)));
          approvedLast = name === 'approve';
        }
      }
      await settled();
      measured.push({
        healthP99: percentile(samples.health, 99),
        echoMessageP99: percentile(samples.echoMessage, 99),
        executeP99: percentile(samples.execute, 99),
        echoExecuteP99: percentile(samples.echoExecute, 99),
        approveP99: samples.approve.length > 0 ? percentile(samples.approve, 99) : null,
        approveSamples: samples.approve.length,
        approveSettledMs: settledAfterApprove.length > 0 ? Math.max(...settledAfterApprove) : null,
      });
    }
    return { rounds: measured, samplesPerRound: concurrency * count };
  } finally {
    agent.destroy();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
    await sink.stop();
  }
}
