import type { Db, Row } from '../../src/store/db';

/** A Db that records every statement it runs (a transaction counts its own statements). */
export class CountingDb implements Db {
  constructor(
    private readonly inner: Db,
    readonly statements: string[] = [],
  ) {}
  get engine() {
    return this.inner.engine;
  }
  get inTransaction() {
    return this.inner.inTransaction;
  }
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    this.statements.push(sql.replace(/\s+/g, ' ').trim().slice(0, 60));
    return this.inner.query<R>(sql, params);
  }
  exec(sql: string): Promise<void> {
    this.statements.push(sql.slice(0, 60));
    return this.inner.exec(sql);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.statements.push('BEGIN');
    return this.inner.transaction((tx) => fn(new CountingDb(tx, this.statements)));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
