/** The simulator CLI as its own process: `--realistic` and its flags, as the end-to-end suite starts it. */
import { runWorker } from '../../../tests/support/worker-process';

const CLI = 'src/halo/simulator/cli.ts';

test('--realistic serves with every habit, the token lifetime and tenant given on the command line', async () => {
  const sim = runWorker(CLI, [
    '--profile',
    'demo',
    '--seed',
    '42',
    '--as-of',
    '2026-12-02',
    '--port',
    '0',
    '--realistic',
    '--token-lifetime-seconds',
    '5',
    '--tenant',
    'acme',
  ]);
  try {
    const started = JSON.parse(await sim.firstLine) as {
      url: string;
      realistic: Record<string, unknown>;
      tenant: string;
    };
    expect(started.realistic).toMatchObject({
      pageCap: 100,
      authPath: '/identity',
      tokenLifetimeSeconds: 5,
      documentedFiltersOnly: true,
    });
    expect(started.tenant).toBe('acme');
    const info = await (await fetch(`${started.url}/api/authinfo`)).json();
    expect(info).toEqual({ auth_url: `${started.url}/identity`, tenant_id: 'acme' });
    const token = await fetch(`${started.url}/identity/token?tenant=acme`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'demo',
        client_secret: 'demo',
      }),
    });
    expect(await token.json()).toMatchObject({ expires_in: 5, token_type: 'Bearer' });
  } finally {
    sim.child.kill('SIGTERM');
    await sim.exited;
  }
});

test('without --realistic the default profile is served', async () => {
  const sim = runWorker(CLI, ['--profile', 'demo', '--seed', '1', '--port', '0']);
  try {
    const started = JSON.parse(await sim.firstLine) as { url: string; realistic: unknown };
    expect(started.realistic).toBe(false);
    const info = (await (await fetch(`${started.url}/api/authinfo`)).json()) as {
      auth_url: string;
    };
    expect(info.auth_url).toBe(`${started.url}/auth`);
  } finally {
    sim.child.kill('SIGTERM');
    await sim.exited;
  }
});

test('a bad realistic flag exits non-zero naming it', async () => {
  const sim = runWorker(CLI, ['--port', '0', '--realistic', '--token-lifetime-seconds', '0']);
  await expect(sim.firstLine).rejects.toThrow(
    /--token-lifetime-seconds must be a positive integer/,
  );
  expect(await sim.exited).toBe(1);
  const without = runWorker(CLI, ['--port', '0', '--token-lifetime-seconds', '5']);
  await expect(without.firstLine).rejects.toThrow(/--token-lifetime-seconds needs --realistic/);
  expect(await without.exited).toBe(1);
});
