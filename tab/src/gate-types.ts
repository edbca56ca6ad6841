/**
 * The fields of the stage-gate API (`GET /gates`, `GET /gates/:gateId`) the tab shows. The gate
 * module's view types live in src/app/gates (not in src/api/dto, the only server file the tab may
 * import), so the tab states here the subset it reads; the server sends more.
 */

/** `pending` | `approved` | `rejected` | `changes-requested`. */
export type GateStatusWord = string;

/** A person as gates record them. */
export interface GatePersonDto {
  name: string;
  email: string | null;
}

/** One decision on a pack version. */
export interface GateDecisionDto {
  packVersion: number;
  outcome: 'approve' | 'reject' | 'request-changes';
  by: GatePersonDto;
  at: string;
  comment: string;
}

/** A gate as lists show it. */
export interface GateSummaryDto {
  id: string;
  project: { id: number; name: string };
  client: { id: number; name: string };
  milestone: { id: number; name: string };
  status: GateStatusWord;
  packVersion: number;
  shortHash: string;
  requiredApprovals: number;
  decisions: GateDecisionDto[];
  requestedBy: GatePersonDto;
  requestedAt: string;
  decidedAt: string | null;
  summary: {
    deliverables: number;
    qaPassed: number;
    qaFailed: number;
    openRisks: number;
    hasCustomerAcceptance: boolean;
  };
  reminderDueAt: string;
}

/** `GET /gates`: gates waiting for my decision, and those I requested. */
export interface GatesWaitingDto {
  toDecide: GateSummaryDto[];
  requested: GateSummaryDto[];
}

/** `GET /gates/:gateId`. */
export interface GateDetailDto {
  gate: GateSummaryDto;
  pack: {
    deliverables: (
      | { kind: 'file'; fileId: string; name: string; sha256: string; size: number }
      | { kind: 'link'; title: string; url: string }
    )[];
    qaOutcomes: { name: string; outcome: 'pass' | 'fail'; notes: string }[];
    customerAcceptanceNotes: string;
    openRisks: { description: string; owner: string; mitigation: string }[];
    noOpenRisks: boolean;
  };
  files: {
    id: string;
    name: string;
    size: number;
    sha256: string;
    webUrl: string | null;
    storedAt: string;
    uploadedBy: GatePersonDto;
  }[];
  decisions: GateDecisionDto[];
  timeline: { seq: number; at: string; action: string; actorName: string; hash: string }[];
}
