import { assertKnownParams, checkFilters } from './halo-filter-check';
import { HaloFilterIgnoredError } from './halo-errors';

const actions = [
  { id: 1, ticket_id: 10, who_agentid: 3, last_update: '2026-11-20T10:00:00Z' },
  { id: 2, ticket_id: '10', who_agentid: 4, last_update: '2026-11-22T10:00:00' },
  { id: 3, ticket_id: 11, who_agentid: 3, last_update: '2026-11-23T10:00:00Z' },
];

describe('checkFilters', () => {
  test('rows that all match an equality filter pass, whatever the id spelling', () => {
    const rows = actions.slice(0, 2);
    expect(checkFilters('Actions', { ticket_id: 10 }, rows)).toEqual({
      records: rows,
      outsideWindow: 0,
    });
    expect(checkFilters('Actions', { ticket_id: '10.0' }, rows).records).toHaveLength(2);
  });

  test('a row of another value means the filter was ignored: HALO_FILTER_IGNORED', () => {
    expect(() => checkFilters('Actions', { ticket_id: 10 }, actions)).toThrow(
      HaloFilterIgnoredError,
    );
    expect(() => checkFilters('Actions', { ticket_id: 10 }, actions)).toThrow(
      /ticket_id=10 filter on \/api\/Actions: 1 of 3 rows/,
    );
  });

  test('agent_id on actions is checked against who_agentid', () => {
    expect(() => checkFilters('Actions', { agent_id: 3 }, actions)).toThrow(/agent_id=3/);
    expect(checkFilters('Actions', { agent_id: 3 }, [actions[0], actions[2]]).records).toHaveLength(
      2,
    );
  });

  test('ticketids must contain every row id', () => {
    expect(checkFilters('Tickets', { ticketids: '1,2,3' }, actions).records).toHaveLength(3);
    expect(() => checkFilters('Tickets', { ticketids: '1,2' }, actions)).toThrow(/ticketids/);
  });

  test('rows without the field, or with an unreadable one, cannot be checked and are kept', () => {
    const rows = [{ id: 1 }, { id: 2, client_id: null }, { id: 3, client_id: 'n/a' }];
    expect(checkFilters('Invoice', { client_id: 4 }, rows).records).toEqual(rows);
  });

  test('rows outside a last-update window are dropped and counted, zone-less read as UTC', () => {
    const checked = checkFilters(
      'Actions',
      { lastupdatefromdate: '2026-11-22T00:00:00Z', lastupdatetodate: '2026-11-22' },
      actions,
    );
    expect(checked.records.map((r) => (r as { id: number }).id)).toEqual([2]);
    expect(checked.outsideWindow).toBe(2);
  });

  test('lastupdate (no underscore) is read when last_update is missing', () => {
    const checked = checkFilters('Tickets', { lastupdatefromdate: '2026-11-22T00:00:00Z' }, [
      { id: 1, lastupdate: '2026-11-21T00:00:00' },
      { id: 2, lastupdate: '2026-11-22T00:00:01' },
    ]);
    expect(checked.records).toEqual([{ id: 2, lastupdate: '2026-11-22T00:00:01' }]);
  });

  test('a row without last_update is kept: nothing says it is outside the window', () => {
    const checked = checkFilters('Actions', { lastupdatefromdate: '2026-11-22T00:00:00Z' }, [
      { id: 9 },
    ]);
    expect(checked).toEqual({ records: [{ id: 9 }], outsideWindow: 0 });
  });

  test('no filters: every row, untouched', () => {
    expect(checkFilters('Actions', { pageinate: true, page_size: 100 }, actions)).toEqual({
      records: actions,
      outsideWindow: 0,
    });
  });
});

describe('assertKnownParams', () => {
  test('known parameters pass, undefined values are not sent and not checked', () => {
    expect(() =>
      assertKnownParams('Tickets', { ticket_id: 1, lastupdatefromdate: 'x', typo: undefined }),
    ).not.toThrow();
  });

  test('a misspelt parameter is HALO_UNKNOWN_FILTER, every unknown one named', () => {
    expect(() => assertKnownParams('Actions', { ticketid: 5, clientid: 2 })).toThrow(
      expect.objectContaining({ code: 'HALO_UNKNOWN_FILTER', filter: 'ticketid,clientid' }),
    );
  });
});
