/** What moved between two readiness assessments of one contract (the snapshot's "what changed"). */
import { round } from '../shared/numbers';
import type { DriverLevel, ReadinessAssessment } from './readiness-score';
import type { ReadinessBand, ReadinessDriverKey } from './renewal-policy';

/** What moved between two assessments of the same contract. */
export interface ReadinessChange {
  scoreDelta: number;
  band: { from: ReadinessBand; to: ReadinessBand } | null;
  confidenceDelta: number;
  /** Drivers whose contribution or level changed, largest movement first. */
  drivers: {
    key: ReadinessDriverKey;
    label: string;
    from: number | null;
    to: number | null;
    /** Change in points taken off (positive = this driver now costs more). */
    contributionDelta: number;
    levelFrom: DriverLevel | null;
    levelTo: DriverLevel | null;
  }[];
  /** Human-readable lines, most important first. */
  summary: string[];
}

/** What changed since the previous assessment (`prev` null: everything is new). */
export function whatChanged(
  prev: ReadinessAssessment | null,
  current: ReadinessAssessment,
): ReadinessChange {
  if (prev === null) {
    return {
      scoreDelta: 0,
      band: null,
      confidenceDelta: 0,
      drivers: [],
      summary: [`First assessment: ${current.score} (${current.band})`],
    };
  }
  const before = new Map(prev.drivers.map((d) => [d.key, d]));
  const drivers: ReadinessChange['drivers'] = [];
  for (const d of current.drivers) {
    const p = before.get(d.key);
    const fromC = p?.contribution ?? 0;
    const levelFrom = p?.level ?? null;
    if (fromC === d.contribution && levelFrom === d.level) continue;
    drivers.push({
      key: d.key,
      label: d.label,
      from: p?.value ?? null,
      to: d.value,
      contributionDelta: d.contribution - fromC,
      levelFrom,
      levelTo: d.level,
    });
  }
  drivers.sort((a, b) => Math.abs(b.contributionDelta) - Math.abs(a.contributionDelta));
  const scoreDelta = current.score - prev.score;
  const band = prev.band === current.band ? null : { from: prev.band, to: current.band };
  const summary: string[] = [];
  if (band) summary.push(`Band ${band.from} → ${band.to}`);
  if (scoreDelta !== 0) {
    summary.push(
      `Score ${prev.score} → ${current.score} (${scoreDelta > 0 ? '+' : ''}${scoreDelta})`,
    );
  }
  for (const d of drivers) {
    const dir = d.contributionDelta > 0 ? 'costs' : 'gives back';
    summary.push(
      `${d.label}: ${d.from ?? 'n/a'} → ${d.to ?? 'n/a'} (${dir} ${Math.abs(d.contributionDelta)} points${
        d.levelFrom !== d.levelTo ? `, ${d.levelFrom ?? 'n/a'} → ${d.levelTo ?? 'n/a'}` : ''
      })`,
    );
  }
  return {
    scoreDelta,
    band,
    confidenceDelta: round(current.confidence - prev.confidence, 2),
    drivers,
    summary,
  };
}
