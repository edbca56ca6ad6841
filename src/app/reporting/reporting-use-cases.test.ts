import type { Actor } from '../delivery-views';
import type { AuditEntryInput } from '../ports/audit.port';
import type { EntitySetModel } from '../../domain/reporting/odata-model';
import type { Comparison } from '../../domain/reporting/odata-query';
import { ReadReportingFeed } from './read-reporting-feed';
import type { FeedPageRequest, ReportingFeedRows } from './reporting-feed.port';
import type { ReportingKeyView, ReportingKeys } from './reporting-keys.port';
import { RotateReportingKey } from './rotate-reporting-key';

/** A tenant's rows in memory: `Id` 1..n; the filter is ignored (the SQL adapter's test covers it). */
class FakeRows implements ReportingFeedRows {
  readonly requests: FeedPageRequest[] = [];
  constructor(private readonly n: number) {}
  async page(_tenantId: string, _set: EntitySetModel, request: FeedPageRequest) {
    this.requests.push(request);
    const all = Array.from({ length: this.n }, (_, i) => ({ Id: i + 1 }));
    return all.slice(request.offset, request.offset + request.limit);
  }
  async count(_tenantId: string, _set: EntitySetModel, _filter: readonly Comparison[]) {
    return this.n;
  }
}

/** Follows the skip tokens as a client follows `@odata.nextLink`. */
async function readAll(feed: ReadReportingFeed, options: Record<string, string>) {
  const ids: unknown[] = [];
  let token: number | null = 0;
  let pages = 0;
  while (token !== null) {
    const outcome = await feed.run('t', 'Projects', { ...options, $skiptoken: String(token) });
    if (!outcome.ok) throw new Error(outcome.message);
    ids.push(...outcome.page.rows.map((r) => r.Id));
    token = outcome.page.nextSkipToken;
    pages += 1;
  }
  return { ids, pages };
}

describe('ReadReportingFeed', () => {
  test.each([
    [0, 1],
    [5, 1],
    [10, 1],
    [11, 2],
    [25, 3],
  ])('%i rows in pages of 10 are read in %i page(s), each row once', async (n, pages) => {
    const feed = new ReadReportingFeed(new FakeRows(n), 10);
    const read = await readAll(feed, {});
    expect(read).toEqual({ ids: Array.from({ length: n }, (_, i) => i + 1), pages });
  });

  test('$skip and $top bound the rows across pages; the last page has no next link', async () => {
    const rows = new FakeRows(100);
    const read = await readAll(new ReadReportingFeed(rows, 10), { $skip: '5', $top: '23' });
    expect(read.ids).toEqual(Array.from({ length: 23 }, (_, i) => i + 6));
    expect(read.pages).toBe(3);
    expect(rows.requests.map((r) => [r.offset, r.limit])).toEqual([
      [5, 11],
      [15, 11],
      [25, 4],
    ]);
  });

  test('$count=true counts every matching row; an unknown set or a bad option is refused', async () => {
    const feed = new ReadReportingFeed(new FakeRows(3), 10);
    const counted = await feed.run('t', 'Projects', { $count: 'true' });
    expect(counted.ok && counted.page.count).toBe(3);
    expect(await feed.run('t', 'Nope', {})).toMatchObject({ ok: false, reason: 'unknown-set' });
    expect(await feed.run('t', 'Projects', { $top: 'x' })).toMatchObject({
      ok: false,
      reason: 'invalid-query',
    });
  });
});

class FakeKeys implements ReportingKeys {
  private current: { key: string; view: ReportingKeyView } | null = null;
  private n = 0;
  async describe() {
    return this.current?.view ?? null;
  }
  async issue(_tenantId: string, by: string) {
    this.n += 1;
    const key = `ctrk_key${this.n}`;
    this.current = {
      key,
      view: { hint: key.slice(-4), createdAt: '2026-11-23T00:00:00.000Z', createdBy: by },
    };
    return this.current;
  }
  async verify(_tenantId: string, key: string) {
    return this.current?.key === key;
  }
}

describe('RotateReportingKey', () => {
  const admin: Actor = {
    aadObjectId: 'oid-1',
    name: 'Ada Admin',
    email: 'ada@msp.example',
    roles: ['admin'],
    haloAgentId: null,
  };

  test('creates, then rotates: the old key stops working and both are audited without the key', async () => {
    const keys = new FakeKeys();
    const entries: AuditEntryInput[] = [];
    const rotate = new RotateReportingKey(keys, {
      append: async (e) => (entries.push(e), {} as never),
    });
    const first = await rotate.run('t', admin);
    const second = await rotate.run('t', admin);
    expect([first.replaced, second.replaced]).toEqual([false, true]);
    expect(await keys.verify('t', first.key)).toBe(false);
    expect(await keys.verify('t', second.key)).toBe(true);
    expect(entries.map((e) => e.action)).toEqual([
      'reporting-key.created',
      'reporting-key.rotated',
    ]);
    expect(entries[1]).toMatchObject({
      subjectType: 'reporting-key',
      actor: { aadObjectId: 'oid-1', email: 'ada@msp.example', name: 'Ada Admin' },
      detail: { hint: second.key.slice(-4), replacedHint: first.key.slice(-4) },
    });
    expect(JSON.stringify(entries)).not.toContain(second.key);
    expect(second.view.createdBy).toBe('ada@msp.example');
  });
});
