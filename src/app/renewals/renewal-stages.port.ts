import type { RenewalTask } from '../../domain/renewals';

/** A stored stage of the renewal workflow. */
export interface StageTaskRow {
  contractId: number;
  stage: '90' | '60' | '30';
  clientId: number | null;
  ownerAgentId: number | null;
  endDate: string;
  openedOn: string;
  checkpointDueOn: string;
  tasks: RenewalTask[];
  stakeholders: Record<string, string>;
  status: 'open' | 'checkpoint-logged' | 'escalated' | 'closed';
  version: number;
}

/** What a compare-and-set update of a stage may change; omitted fields stay as they are. */
export interface StageChange {
  status: StageTaskRow['status'];
  tasks?: RenewalTask[];
  escalatedAt?: Date | null;
  stakeholders?: Record<string, string>;
  /** The renewal owner (HaloPSA agent) the cs lead assigned. */
  ownerAgentId?: number;
}

/** The 90/60/30-day stages of one tenant's contracts. */
export interface RenewalStages {
  /** Opens a stage once: true when this call opened it, false when it was already open. */
  openStage(s: Omit<StageTaskRow, 'version'>, now: Date): Promise<boolean>;
  /** Stage tasks, optionally of one contract or with one status. */
  stageTasks(filter?: {
    contractId?: number;
    status?: StageTaskRow['status'];
  }): Promise<StageTaskRow[]>;
  /** Moves a stage to `status` if it is still at `version` (compare-and-set); false when it moved on. */
  updateStage(
    contractId: number,
    stage: string,
    version: number,
    change: StageChange,
    now: Date,
  ): Promise<boolean>;
}
