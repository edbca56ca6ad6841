/** `GET /api/timesheet`: one row per agent and day with the day's events and hour totals. */
import { DAY_MS, isoZ } from './calendar';
import { HttpError } from './http-error';
import type { ListQuery, Query } from './list-query';
import type { HaloRecord } from './record-collection';
import type { ServedData } from './served-data';

/** HaloPSA refuses timesheet ranges longer than this. */
const MAX_RANGE_DAYS = 92;

export function timesheetDays(data: ServedData, lists: ListQuery, q: Query): HaloRecord[] {
  const from = Date.parse(`${(q.start_date ?? '').slice(0, 10)}T00:00:00Z`);
  const to = Date.parse(`${(q.end_date ?? q.start_date ?? '').slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(from) || Number.isNaN(to))
    throw new HttpError(400, 'start_date and end_date are required');
  if (to - from > MAX_RANGE_DAYS * DAY_MS)
    throw new HttpError(400, 'Date range too large (max 92 days)');
  const agents = q.agents
    ? q.agents.split(',').map(Number)
    : data.records('Agent').map((a) => Number(a.id));
  const sel = lists.select('TimesheetEvent', {
    start_date: isoZ(from),
    end_date: isoZ(to + DAY_MS - 1),
    ...(q.agents ? { agents: q.agents } : {}),
  });
  const byKey = new Map<string, HaloRecord[]>();
  for (const i of sel.indices) {
    const e = data.row('TimesheetEvent', i);
    const key = `${String(e.agent_id)}|${String(e.start_date).slice(0, 10)}`;
    const list = byKey.get(key) ?? [];
    list.push(e);
    byKey.set(key, list);
  }
  const out: HaloRecord[] = [];
  for (const agent of agents) {
    for (let d = from; d <= to; d += DAY_MS) {
      const date = isoZ(d).slice(0, 10);
      const events = byKey.get(`${agent}|${date}`) ?? [];
      const actual = events.reduce((s, e) => s + Number(e.timetaken ?? 0), 0);
      out.push({
        id: Number(`${agent}${date.replace(/-/g, '')}`),
        agent_id: agent,
        date: `${date}T00:00:00`,
        start_date: `${date}T09:00:00`,
        end_date: `${date}T17:30:00`,
        target_hours: 7.5,
        actual_hours: Math.round(actual * 100) / 100,
        chargeable_hours: Math.round(actual * 100) / 100,
        events,
      });
    }
  }
  return out;
}
