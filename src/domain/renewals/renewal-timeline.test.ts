import {
  buildRenewalTimelines,
  renewalTimeline,
  type RenewalTimelineEntry,
} from './renewal-timeline';

const e = (
  id: string,
  contractId: string,
  at: string,
  kind: RenewalTimelineEntry['kind'],
): RenewalTimelineEntry => ({ id, contractId, at, kind, actor: null, summary: id, ref: null });

describe('renewal timeline', () => {
  test('merges sources into one ordered list per contract, dropping duplicates', () => {
    const engine = [
      e('f1', 'C1', '2025-09-01', 'renewal.flagged'),
      e('s1', 'C1', '2025-10-02', 'stage.opened'),
    ];
    const people = [
      e('k1', 'C1', '2025-10-10T14:00:00Z', 'checkpoint.logged'),
      e('q1', 'C1', '2025-10-11T09:00:00+02:00', 'concession.requested'),
      e('d1', 'C2', '2025-10-01', 'outcome'),
      e('s1', 'C1', '2025-10-02', 'stage.opened'),
    ];
    const all = buildRenewalTimelines(people, engine);
    expect(all.get('C1')?.map((x) => x.id)).toEqual(['f1', 's1', 'k1', 'q1']);
    expect(all.get('C2')?.map((x) => x.id)).toEqual(['d1']);
  });

  test('same instant: causes before effects; zone-less timestamps are UTC', () => {
    const list = renewalTimeline('C1', [
      e('b', 'C1', '2025-10-02T00:00:00', 'stage.opened'),
      e('a', 'C1', '2025-10-02', 'readiness.changed'),
      e('c', 'C1', '2025-10-01T23:30:00-01:00', 'outcome'),
    ]);
    expect(list.map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});
