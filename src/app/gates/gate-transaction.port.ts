import type { AuditTrail } from '../ports/audit.port';
import type { Outbox } from '../ports/notifications.port';
import type { GatePilot } from './gate-pilot.port';
import type { GateProjects } from './gate-projects.port';
import type { GateRepository } from './gate-repository.port';
import type { GateWritebacks } from './gate-writebacks.port';

/**
 * The ports a gate change writes through, all bound to one transaction: the gate rows, their audit
 * entry, the outbox rows (cards) and the HaloPSA write-back commit together or not at all.
 */
export interface GateTxPorts {
  gates: GateRepository;
  projects: GateProjects;
  audit: AuditTrail;
  outbox: Outbox;
  writebacks: GateWritebacks;
  /** The pilot settings, read in this transaction, that decide whether a gate card posts. */
  pilot: GatePilot;
}
