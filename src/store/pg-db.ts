import { createHash } from 'node:crypto';
import { Client, Pool, types, type ClientConfig, type PoolClient, type QueryConfig } from 'pg';
import type { Db, Row } from './db';

// int8 and numeric arrive as strings by default; our counts and sums fit a double.
types.setTypeParser(20, (value) => Number(value));
types.setTypeParser(1700, (value) => Number(value));

/**
 * Statements are prepared by name, so PostgreSQL parses and plans each distinct statement once per
 * connection instead of on every call (planning the portfolio query cost more than running it).
 * Bulk statements whose text varies with the batch (many parameters) and any statements beyond the
 * cap stay unnamed, so the per-connection set of prepared statements stays bounded.
 */
const PREPARE_MAX_PARAMS = 64;
const PREPARE_MAX_STATEMENTS = 500;
const statementNames = new Map<string, string>();

function queryConfig(sql: string, params: readonly unknown[]): QueryConfig {
  const values = params as unknown[];
  if (params.length > PREPARE_MAX_PARAMS) return { text: sql, values };
  let name = statementNames.get(sql);
  if (name === undefined) {
    if (statementNames.size >= PREPARE_MAX_STATEMENTS) return { text: sql, values };
    name = `ct_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return { name, text: sql, values };
}

/** The `application_name` our sessions carry unless the URL names one (visible in pg_stat_activity). */
export const POSTGRES_APPLICATION_NAME = 'control-tower';

/** Pool settings beyond the URL. */
export interface PostgresOptions {
  /** Password for each new connection, asked when one opens (an Entra access token); unset: the URL's. */
  password?: () => Promise<string>;
  /** Told when a connection dies while idle in the pool; the pool drops it and opens a new one on demand. */
  onIdleConnectionLost?: (error: Error) => void;
}

/** Opens a `pg` pool against PostgreSQL. */
export function openPostgres(
  connectionString: string,
  max = 10,
  options: PostgresOptions = {},
): Db {
  const pool = new Pool({
    connectionString,
    max,
    application_name: POSTGRES_APPLICATION_NAME,
    ...(options.password ? { Client: clientAskingPassword(options.password) } : {}),
  });
  // Without a listener, an idle connection's error (a server restart, a failover, an operator's
  // pg_terminate_backend) is an unhandled 'error' event that ends the process.
  const lost = options.onIdleConnectionLost ?? reportLostConnection;
  pool.on('error', (error) => lost(error));
  return new PoolDb(pool, max);
}

/**
 * A `pg` Client that asks `password` for each sign-in. pg lets the connection string's password (empty
 * when the URL has none) override a `password` function in the pool's config, so it is set afterwards.
 */
function clientAskingPassword(password: () => Promise<string>): new () => Client {
  return class PasswordAskingClient extends Client {
    constructor(config?: ClientConfig) {
      super(config);
      (this as { password?: unknown }).password = password;
    }
  };
}

function reportLostConnection(error: Error): void {
  process.stderr.write(
    `PostgreSQL: an idle pooled connection was lost (${error.message}); the next query opens a new one\n`,
  );
}

/**
 * SQLSTATEs by which the server says it ended the session (an operator's pg_terminate_backend, a
 * failover, a crash). A statement answered with one was rolled back or never read, so it is sent again
 * on another connection; this covers idle connections whose end the pool had not yet heard of. Each
 * try discards one dead connection, so a pool of `max` needs at most `max` more tries. A connection
 * that merely vanished is not retried: whether its statement ran is unknown.
 */
const SESSION_ENDED = new Set(['57P01', '57P02']);

async function retryEndedSessions<T>(retries: number, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      const code =
        typeof error === 'object' && error !== null && 'code' in error ? error.code : null;
      if (tries >= retries || typeof code !== 'string' || !SESSION_ENDED.has(code)) throw error;
    }
  }
}

class PoolDb implements Db {
  readonly engine = 'postgres' as const;
  readonly inTransaction = false;
  constructor(
    private readonly pool: Pool,
    private readonly max: number,
  ) {}

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const result = await retryEndedSessions(this.max, () =>
      this.pool.query(queryConfig(sql, params)),
    );
    return result.rows as R[];
  }

  async exec(sql: string): Promise<void> {
    await retryEndedSessions(this.max, () => this.pool.query(sql));
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await retryEndedSessions(this.max, () => this.begin());
    try {
      const result = await fn(new ClientDb(client));
      // PostgreSQL answers COMMIT of a transaction a failed statement aborted with ROLLBACK, not
      // an error: a caller that caught that failure and went on must not be told it committed.
      const committed = await client.query('COMMIT');
      if (committed.command === 'ROLLBACK') {
        throw new Error('the transaction was rolled back: a statement in it failed');
      }
      client.release();
      return result;
    } catch (error) {
      // A connection that cannot even roll back is broken: the pool discards it instead of reusing it.
      const broken = await client.query('ROLLBACK').then(
        () => undefined,
        (rollbackError: Error) => rollbackError,
      );
      client.release(broken);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** A pooled connection with a transaction open on it. */
  private async begin(): Promise<PoolClient> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      return client;
    } catch (error) {
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }
}

/** A Db bound to one checked-out connection inside a transaction. */
class ClientDb implements Db {
  readonly engine = 'postgres' as const;
  readonly inTransaction = true;
  constructor(private readonly client: PoolClient) {}

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const result = await this.client.query(queryConfig(sql, params));
    return result.rows as R[];
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    // Nested: a savepoint keeps the inner unit atomic inside the outer transaction.
    await this.client.query('SAVEPOINT nested');
    try {
      const result = await fn(this);
      await this.client.query('RELEASE SAVEPOINT nested');
      return result;
    } catch (error) {
      await this.client.query('ROLLBACK TO SAVEPOINT nested');
      throw error;
    }
  }

  async close(): Promise<void> {
    // The pool owns the connection.
  }
}
