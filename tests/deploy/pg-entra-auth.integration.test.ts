import type { AccessToken, TokenCredential } from '@azure/identity';
import { createServer, type Server, type Socket } from 'node:net';
import { ConfigError, loadDatabaseConfig } from '../../src/config';
import { openPostgres } from '../../src/store/pg-db';
import { entraPassword, POSTGRES_ENTRA_SCOPE } from '../../src/store/pg-entra-password';

/**
 * The start of the PostgreSQL wire protocol, as Azure Database for PostgreSQL speaks it to an Entra
 * sign-in: read the startup message, ask for a cleartext password (the token), record what came, and
 * refuse with a FATAL error so the test sees the client's reaction.
 */
class PasswordRecordingServer {
  readonly signIns: { user: string; password: string; applicationName: string }[] = [];
  private readonly server: Server = createServer((socket) => this.serve(socket));

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    let buffer = Buffer.alloc(0);
    let params: Record<string, string> | null = null;
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (params === null) {
        if (buffer.length < 4 || buffer.length < buffer.readInt32BE(0)) return;
        const length = buffer.readInt32BE(0);
        const fields = buffer
          .subarray(8, length - 1)
          .toString('utf8')
          .split('\0');
        params = {};
        for (let i = 0; i + 1 < fields.length; i += 2) params[fields[i]!] = fields[i + 1]!;
        buffer = buffer.subarray(length);
        const askCleartext = Buffer.alloc(9);
        askCleartext.write('R', 0);
        askCleartext.writeInt32BE(8, 1);
        askCleartext.writeInt32BE(3, 5);
        socket.write(askCleartext);
        return;
      }
      if (buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) return;
      const password = buffer.subarray(5, 1 + buffer.readInt32BE(1) - 1).toString('utf8');
      this.signIns.push({
        user: params.user ?? '',
        password,
        applicationName: params.application_name ?? '',
      });
      socket.end(errorResponse('28P01', 'recorded the sign-in'));
    });
    socket.on('error', () => socket.destroy());
  }
}

function errorResponse(code: string, message: string): Buffer {
  const body = Buffer.from(`SFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

describe('PostgreSQL sign-in with a managed identity Entra token', () => {
  const server = new PasswordRecordingServer();
  let port = 0;
  beforeAll(async () => {
    port = await server.listen();
  });
  afterAll(() => server.close());

  test('each new connection sends the Entra token as its password, the token fetched once', async () => {
    const scopes: string[] = [];
    const credential: TokenCredential = {
      getToken: async (scope): Promise<AccessToken> => {
        scopes.push(String(scope));
        return { token: 'eyJ.entra-token.sig', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const db = openPostgres(`postgres://ct-prod-id@127.0.0.1:${port}/controltower`, 2, {
      password: entraPassword(credential),
    });
    try {
      await expect(db.query('SELECT 1')).rejects.toThrow('recorded the sign-in');
      await expect(db.query('SELECT 1')).rejects.toThrow('recorded the sign-in');
    } finally {
      await db.close();
    }

    expect(server.signIns).toEqual([
      { user: 'ct-prod-id', password: 'eyJ.entra-token.sig', applicationName: 'control-tower' },
      { user: 'ct-prod-id', password: 'eyJ.entra-token.sig', applicationName: 'control-tower' },
    ]);
    expect(scopes).toEqual([POSTGRES_ENTRA_SCOPE]);
  });
});

describe('DATABASE_AUTH', () => {
  const url = 'postgres://ct-prod-id@db.example:5432/controltower?sslmode=require';

  test('entra with the identity client id selects token sign-in; password is the default', () => {
    const entra = loadDatabaseConfig({
      DATABASE_URL: url,
      DATABASE_AUTH: 'entra',
      DATABASE_MANAGED_IDENTITY_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
    });
    expect(entra).toMatchObject({
      url,
      entraClientId: '11111111-2222-3333-4444-555555555555',
    });
    expect(loadDatabaseConfig({ DATABASE_URL: url }).entraClientId).toBeNull();
  });

  test('entra without a URL or a client id lists both problems', () => {
    let error: unknown;
    try {
      loadDatabaseConfig({ DATABASE_AUTH: 'entra' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'DATABASE_URL: required when DATABASE_AUTH=entra',
      'DATABASE_MANAGED_IDENTITY_CLIENT_ID: required when DATABASE_AUTH=entra',
    ]);
  });

  test('an unknown value is refused', () => {
    expect(() => loadDatabaseConfig({ DATABASE_AUTH: 'kerberos' })).toThrow(/DATABASE_AUTH/);
  });
});
