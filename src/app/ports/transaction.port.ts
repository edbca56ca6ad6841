/**
 * A unit of work: runs `work` in one transaction over the ports `P` bound to it, committing when it
 * returns and rolling back when it throws. Use cases name the ports they need in `P`; src/store binds
 * them to one database transaction. Nothing a use case does in `work` is visible to others before
 * the commit.
 */
export interface Transactional<P> {
  transaction<T>(work: (ports: P) => Promise<T>): Promise<T>;
}
