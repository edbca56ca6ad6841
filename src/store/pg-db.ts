import { createHash } from 'node:crypto';
import { Pool, types, type PoolClient, type QueryConfig } from 'pg';
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

/** Opens a `pg` pool against PostgreSQL. */
export function openPostgres(connectionString: string, max = 10): Db {
  const pool = new Pool({ connectionString, max });
  return new PoolDb(pool);
}

class PoolDb implements Db {
  readonly engine = 'postgres' as const;
  constructor(private readonly pool: Pool) {}

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const result = await this.pool.query(queryConfig(sql, params));
    return result.rows as R[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new ClientDb(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** A Db bound to one checked-out connection inside a transaction. */
class ClientDb implements Db {
  readonly engine = 'postgres' as const;
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
