/** A row as the database returns it. */
export type Row = Record<string, unknown>;

/**
 * The one port every repository uses: PostgreSQL SQL, whichever engine runs it
 * (a `pg` pool against PostgreSQL, or embedded PGlite).
 */
export interface Db {
  /** Which engine runs the SQL (for logs and the benchmark; never for branching SQL). */
  readonly engine: 'postgres' | 'pglite';
  /**
   * True for the Db a `transaction` callback receives: its statements commit or roll back with the
   * enclosing transaction, and one failing aborts the whole of it.
   */
  readonly inTransaction: boolean;
  /** Runs one parameterised statement and returns its rows. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Releases connections; the Db is unusable afterwards. */
  close(): Promise<void>;
}
