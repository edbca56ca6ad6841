/**
 * Renders records from API routes whose JSON shapes the tab does not import yet (renewals, approvals,
 * governance come from other modules): each record's plain fields as a labelled list. Nothing is
 * invented: what the server sends is what is shown.
 */
import { Text } from '@fluentui/react-components';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The records of a list answer: `{ items: [...] }`, a bare array, or one object. */
export function recordsOf(body: unknown): Record<string, Json>[] {
  if (Array.isArray(body)) return body.filter(isRecord);
  if (isRecord(body) && Array.isArray(body.items)) return body.items.filter(isRecord);
  return isRecord(body) ? [body] : [];
}

/** One card per record with its fields, in the server's order (one record fills the width). */
export function RecordList({
  records,
  label,
  empty,
}: {
  records: Record<string, Json>[];
  label: string;
  empty: string;
}) {
  if (records.length === 0) return <Text>{empty}</Text>;
  if (records.length === 1)
    return (
      <div className="ct-card" role="region" aria-label={label}>
        <FieldList record={records[0]!} />
      </div>
    );
  return (
    <ul className="ct-cards" aria-label={label}>
      {records.map((record, i) => (
        <li className="ct-card" key={String(record.id ?? i)}>
          <FieldList record={record} />
        </li>
      ))}
    </ul>
  );
}

/** A record's fields as a description list; nested records nest. */
export function FieldList({ record }: { record: Record<string, Json> }) {
  return (
    <dl className="ct-kv">
      {Object.entries(record).map(([key, value]) => (
        <div key={key} style={{ display: 'contents' }}>
          <dt>{words(key)}</dt>
          <dd>
            <FieldValue value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function FieldValue({ value }: { value: Json }) {
  if (isRecord(value) && typeof value.name !== 'string') return <FieldList record={value} />;
  if (Array.isArray(value) && value.some(isRecord))
    return (
      <ul className="ct-list">
        {value.map((item, i) => (
          <li key={i}>{isRecord(item) ? <FieldList record={item} /> : show(item)}</li>
        ))}
      </ul>
    );
  return <>{show(value)}</>;
}

function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function words(key: string): string {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase();
}

function show(value: Json): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(show).join('; ');
  if (typeof value.name === 'string') return value.name;
  return Object.entries(value)
    .map(([k, v]) => `${words(k)}: ${show(v)}`)
    .join(', ');
}
