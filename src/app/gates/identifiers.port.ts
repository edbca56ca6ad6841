/** A new unique id (a UUID in production). */
export type NewId = () => string;

export type { Sha256 } from '../../domain/gates/evidence-pack';
