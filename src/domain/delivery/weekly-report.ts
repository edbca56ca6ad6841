/**
 * The weekly control report for delivery leadership (SPEC §2.5): red and amber projects with their
 * causes, mitigation owners and recovery dates, what changed since last week, and the data-quality
 * exceptions that kept projects "unknown". A plain model; cards and exports render it.
 */
import type { IsoDate } from '../shared/dates';
import type { Escalation } from './escalation';
import { SEVERITY_RANK } from './policy';
import { isActive } from './escalation';
import { type ProjectAssessment, type Rag, type RiskTag } from './health-score';
import { whatChanged, type HealthSnapshot } from './health-snapshot';

/** One red or amber project in the report. */
export interface WeeklyReportRow {
  projectId: string;
  name: string;
  clientId: string;
  rag: Rag;
  score: number;
  confidence: number;
  causes: RiskTag[];
  /** The top drivers' explanations (up to three). */
  drivers: string[];
  /** Mitigation owner if one was assigned, else the owner of the most severe escalation, else the PM. */
  mitigationOwnerAgentId: string | null;
  /** When the project should be back on track: the date the driving issue must clear by. */
  recoveryDate: IsoDate | null;
  openEscalations: { cause: string; severity: string; status: string; reescalated: boolean }[];
  changesSinceLastWeek: string[];
}

/** The report. */
export interface WeeklyControlReport {
  weekOf: IsoDate;
  counts: Record<Rag, number>;
  /** Red first, then amber; within each, lowest score first. */
  rows: WeeklyReportRow[];
  /** Projects that were red/amber last week and are green now. */
  recovered: { projectId: string; name: string }[];
  /** Projects judged unknown, with why (data-quality exceptions). */
  exceptions: { projectId: string; name: string; issues: string[] }[];
}

/**
 * Build the report from this week's assessments, last week's snapshots and the escalations.
 */
export function buildWeeklyControlReport(input: {
  weekOf: IsoDate;
  assessments: readonly ProjectAssessment[];
  lastWeek: readonly HealthSnapshot[];
  escalations: readonly Escalation[];
}): WeeklyControlReport {
  const counts: Record<Rag, number> = { green: 0, amber: 0, red: 0, unknown: 0 };
  const rows: WeeklyReportRow[] = [];
  const recovered: WeeklyControlReport['recovered'] = [];
  const exceptions: WeeklyControlReport['exceptions'] = [];
  const prevById = new Map(input.lastWeek.map((s) => [s.projectId, s]));
  for (const a of input.assessments) {
    if (a.status === 'closed') continue;
    counts[a.rag] += 1;
    const prev = prevById.get(a.projectId) ?? null;
    if (a.rag === 'unknown') {
      exceptions.push({ projectId: a.projectId, name: a.name, issues: a.dataQualityIssues });
      continue;
    }
    if (a.rag === 'green') {
      if (prev && (prev.rag === 'red' || prev.rag === 'amber')) {
        recovered.push({ projectId: a.projectId, name: a.name });
      }
      continue;
    }
    // Most severe first, so the row names the owner of the worst open issue.
    const escalations = input.escalations
      .filter((e) => e.projectId === a.projectId && isActive(e))
      .sort((x, y) => SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity]);
    const mitigation =
      escalations.find((e) => e.mitigationOwnerAgentId !== null)?.mitigationOwnerAgentId ??
      escalations[0]?.ownerAgentId ??
      a.pmAgentId;
    const recoveryDates = Object.values(a.signals)
      .filter((s) => s.level === 'amber' || s.level === 'red')
      .map((s) => s.recoverBy)
      .filter((d): d is IsoDate => d !== null)
      .sort();
    rows.push({
      projectId: a.projectId,
      name: a.name,
      clientId: a.clientId,
      rag: a.rag,
      score: a.score,
      confidence: a.confidence,
      causes: a.riskTags,
      drivers: a.drivers
        .filter((d) => d.contribution > 0)
        .slice(0, 3)
        .map((d) => d.explanation),
      mitigationOwnerAgentId: mitigation,
      recoveryDate: recoveryDates[0] ?? null,
      openEscalations: escalations.map((e) => ({
        cause: e.cause,
        severity: e.severity,
        status: e.status,
        reescalated: e.reescalatedAt !== null,
      })),
      changesSinceLastWeek: whatChanged(prev, {
        projectId: a.projectId,
        asOf: a.asOf,
        score: a.score,
        rag: a.rag,
        confidence: a.confidence,
        modelVersion: a.modelVersion,
        drivers: a.drivers.map((d) => ({
          key: d.key,
          label: d.label,
          value: d.value,
          level: d.level,
        })),
        riskTags: a.riskTags,
        reading: a.reading,
      }),
    });
  }
  rows.sort((x, y) => (x.rag === y.rag ? x.score - y.score : x.rag === 'red' ? -1 : 1));
  return { weekOf: input.weekOf, counts, rows, recovered, exceptions };
}
