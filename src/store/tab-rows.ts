/** Helpers the tab's SQL read models share: RAG parsing, driver formatting, dates, LIKE escaping. */
import type { Rag } from '../app/delivery-views';
import type { DriverDetailView } from '../app/delivery/tab-views';
import type { HealthDriver } from '../domain/delivery/health-score';
import { driverView } from './delivery-queries.repository';

export const RAGS: readonly Rag[] = ['red', 'amber', 'unknown', 'green'];
export const RAG_ORDER_SQL = `CASE r.rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'unknown' THEN 2 ELSE 3 END`;
export const OPEN_STATUSES = `('open', 'acknowledged', 'snoozed')`;

/** Formats a stored driver as the tab shows it. */
export function driverDto(d: HealthDriver): DriverDetailView {
  const view = driverView(d);
  return {
    key: d.key,
    label: d.label,
    value: d.value,
    unit: d.unit,
    threshold: { amber: d.threshold.amber, red: d.threshold.red },
    level: d.level === 'amber' || d.level === 'red' ? d.level : null,
    contribution: view.contribution,
    display: { value: view.value, threshold: view.threshold },
    explanation: d.explanation,
  };
}

export function ragCounts(rows: { rag: string; n: number | string }[] | null): Record<Rag, number> {
  const counts: Record<Rag, number> = { red: 0, amber: 0, unknown: 0, green: 0 };
  for (const row of rows ?? []) {
    const rag = RAGS.includes(row.rag as Rag) ? (row.rag as Rag) : 'unknown';
    counts[rag] += Number(row.n);
  }
  return counts;
}

export function isoDay(value: string | Date | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString().slice(0, 10);
}

export function isoTime(value: string | Date | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
