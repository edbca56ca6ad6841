import type { Transactional } from '../app/ports/transaction.port';
import type { Db } from './db';

/** A unit of work over `db`: each transaction binds the ports `P` to its own connection. */
export function transactional<P>(db: Db, bind: (tx: Db) => P): Transactional<P> {
  return { transaction: (work) => db.transaction((tx) => work(bind(tx))) };
}
