/** One action taken from a card or a command, done or refused. */
export interface ActionLogEntry {
  at: Date;
  actorAadObjectId: string | null;
  actorName: string | null;
  /** What was attempted (`escalation.acknowledge`, `subscribe`…). */
  action: string;
  targetKind: string;
  targetId: string | null;
  outcome: 'done' | 'refused';
  reason: string | null;
  details?: Record<string, unknown>;
}

/** Every bot action with its outcome, kept for audit and threshold tuning (src/store implements it). */
export interface BotActionLog {
  record(entry: ActionLogEntry): Promise<void>;
}
