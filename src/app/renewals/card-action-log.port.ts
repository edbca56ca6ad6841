/** One action taken from a card, done or refused. */
export interface CardActionEntry {
  at: Date;
  actorAadObjectId: string | null;
  actorName: string | null;
  /** The card verb (`concession.approve`…). */
  action: string;
  targetKind: string;
  targetId: string | null;
  outcome: 'done' | 'refused';
  reason: string | null;
  details?: Record<string, unknown>;
}

/** The log of card actions with their outcome, for audit and threshold tuning. */
export interface CardActionLog {
  record(entry: CardActionEntry): Promise<void>;
}
