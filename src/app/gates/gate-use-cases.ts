import type { ExportEvidencePack } from '../exports/export-evidence-pack';
import type { DecideGate } from './decide-gate';
import type { GateForm } from './gate-form';
import type { GateQueries } from './gate-queries';
import type { RequestGate } from './request-gate';
import type { RunGateSla } from './run-gate-sla';
import type { UploadEvidence } from './upload-evidence';
import type { VerifyPack } from './verify-pack';

/** Every stage-gate use case of one tenant, built once by the gates module. */
export interface GateUseCases {
  form: GateForm;
  upload: UploadEvidence;
  request: RequestGate;
  decide: DecideGate;
  sla: RunGateSla;
  queries: GateQueries;
  verify: VerifyPack;
  /** The decided gate's evidence pack as a PDF, archived on approval (when rendering is wired). */
  evidencePack?: ExportEvidencePack;
}
