/** Who requested or decided a concession. */
export interface ConcessionPerson {
  name: string;
  email: string | null;
  aadObjectId: string | null;
}

/** A stored concession request and its state. */
export interface ConcessionRow {
  id: number;
  contractId: number;
  clientId: number | null;
  discountPct: number;
  reason: string;
  assessment: Record<string, unknown>;
  approverTier: 'cs_lead' | 'msp_owner';
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  version: number;
  requestedBy: ConcessionPerson;
  requestedByKey: string;
  requestedAt: string;
  decidedBy: ConcessionPerson | null;
  decidedAt: string | null;
  comment: string | null;
}

/** The concession requests of one tenant, their decisions and the cards that show them. */
export interface ConcessionRequests {
  /** Stores a new pending request; null when the contract already has one pending. */
  insertConcession(
    c: Omit<ConcessionRow, 'id' | 'status' | 'version' | 'decidedBy' | 'decidedAt' | 'comment'>,
  ): Promise<number | null>;
  concession(id: number): Promise<ConcessionRow | null>;
  /** Concession requests (of one contract, or all), newest first. */
  concessions(contractId: number | null): Promise<ConcessionRow[]>;
  /**
   * Applies a decision if the request is still pending at `expectedVersion` (compare-and-set) and
   * records it (one decision per request). False when someone decided first.
   */
  decideConcession(
    id: number,
    expectedVersion: number,
    d: {
      status: 'approved' | 'rejected';
      decidedBy: ConcessionPerson;
      decidedAt: string;
      comment: string | null;
    },
  ): Promise<boolean>;
  /**
   * Marks a request nobody decided as expired at `at`, if it is still pending at `expectedVersion`
   * (compare-and-set). False when someone decided (or expired it) first.
   */
  expireConcession(id: number, expectedVersion: number, at: string): Promise<boolean>;
  /** Remembers which outbox post carries a concession's card. */
  setConcessionCard(id: number, dedupeKey: string): Promise<void>;
  /** The outbox dedupe key of a concession's posted card, if any. */
  concessionCard(id: number): Promise<string | null>;
}

/** Who may approve or act: the Entra object ids of people holding roles. */
export interface ConcessionApprovers {
  aadObjectIdsWithRoles(roles: readonly string[]): Promise<string[]>;
  /**
   * The Entra object ids of the people who sign in with `email` and hold one of `roles` (the
   * contract owner's own view of a stage card).
   */
  aadObjectIdsWithEmail(email: string, roles: readonly string[]): Promise<string[]>;
}
