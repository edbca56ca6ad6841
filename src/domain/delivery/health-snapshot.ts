import type { IsoDate } from '../shared/dates';
import { round } from '../shared/numbers';
import {
  LEVEL_RANK,
  type DriverKey,
  type ProjectAssessment,
  type Rag,
  type RiskTag,
  type SignalReading,
} from './health-score';
import type { Level } from './policy';

/** The part of an assessment kept daily for trends and "what changed". */
export interface HealthSnapshot {
  projectId: string;
  asOf: IsoDate;
  score: number;
  rag: Rag;
  confidence: number;
  /** Model version the snapshot was judged under; absent on snapshots stored before versions. */
  modelVersion?: string;
  drivers: { key: DriverKey; label: string; value: number | null; level: Level | null }[];
  riskTags: RiskTag[];
  reading: SignalReading;
}

/** Reduce an assessment to its daily snapshot. */
export function toSnapshot(a: ProjectAssessment): HealthSnapshot {
  return {
    projectId: a.projectId,
    asOf: a.asOf,
    score: a.score,
    rag: a.rag,
    confidence: a.confidence,
    modelVersion: a.modelVersion,
    drivers: a.drivers.map((d) => ({ key: d.key, label: d.label, value: d.value, level: d.level })),
    riskTags: a.riskTags,
    reading: a.reading,
  };
}

/**
 * Human-readable changes since the previous snapshot: RAG moves, drivers crossing a threshold,
 * new or cleared risk tags, score moves of at least `minScoreDelta` points, confidence drops.
 */
export function whatChanged(
  prev: HealthSnapshot | null,
  current: HealthSnapshot,
  minScoreDelta = 5,
): string[] {
  if (prev === null) return [`First assessment: ${current.rag.toUpperCase()} at ${current.score}`];
  const out: string[] = [];
  // Named first: what follows may be the rules moving, not the project.
  if ((prev.modelVersion ?? null) !== (current.modelVersion ?? null)) {
    out.push(
      `Judgement model changed ${prev.modelVersion ?? 'unversioned'} → ${current.modelVersion ?? 'unversioned'}`,
    );
  }
  if (prev.rag !== current.rag) {
    out.push(`RAG moved ${prev.rag.toUpperCase()} → ${current.rag.toUpperCase()}`);
  }
  for (const d of current.drivers) {
    const before = prev.drivers.find((p) => p.key === d.key);
    const from = before?.level ?? null;
    if (from !== d.level && d.level !== null) {
      const dir = from === null || LEVEL_RANK[d.level] > LEVEL_RANK[from] ? 'rose' : 'fell';
      out.push(`${d.label} ${dir} to ${d.level}${from ? ` (was ${from})` : ''}`);
    }
  }
  for (const t of current.riskTags) if (!prev.riskTags.includes(t)) out.push(`New risk: ${t}`);
  for (const t of prev.riskTags) if (!current.riskTags.includes(t)) out.push(`Risk cleared: ${t}`);
  const delta = round(current.score - prev.score, 2);
  if (Math.abs(delta) >= minScoreDelta) {
    out.push(
      `Score ${delta > 0 ? 'up' : 'down'} ${Math.abs(delta)} (${prev.score} → ${current.score})`,
    );
  }
  if (current.confidence < prev.confidence - 0.1) {
    out.push(`Confidence dropped ${prev.confidence} → ${current.confidence}`);
  }
  return out;
}
