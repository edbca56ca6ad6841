import { normaliseHaloDate } from './halo-fields';
import { validateRecords } from './halo-records';

describe('normaliseHaloDate', () => {
  test.each([
    ['2025-01-02T00:00:00', '2025-01-02T00:00:00.000Z'],
    ['2025-01-02T10:30:00Z', '2025-01-02T10:30:00.000Z'],
    ['2025-01-02T10:30:00+02:00', '2025-01-02T08:30:00.000Z'],
    ['2025-01-02T10:30:00.1234567', '2025-01-02T10:30:00.123Z'],
    ['2025-01-02', '2025-01-02T00:00:00.000Z'],
    ['2025-01-02 10:30', '2025-01-02T10:30:00.000Z'],
  ])('reads %p as %p (zone-less is UTC)', (input, expected) => {
    expect(normaliseHaloDate(input)).toBe(expected);
  });

  test("reads HaloPSA's 1900-01-01 placeholder as no date", () => {
    expect(normaliseHaloDate('1900-01-01T00:00:00')).toBeNull();
  });

  test.each([['yesterday'], ['2025-02-30'], ['2025-13-01T00:00:00'], ['']])(
    'refuses %p',
    (input) => {
      expect(normaliseHaloDate(input)).toBeUndefined();
    },
  );
});

describe('validateRecords', () => {
  test('coerces numeric strings and normalises zone-less dates to UTC', () => {
    const { records, exceptions } = validateRecords('projects', [
      {
        id: '12',
        client_id: '3',
        summary: 'Migration',
        projecttimebudget: '120.5',
        startdate: '2025-01-02T00:00:00',
        targetdate: '1900-01-01T00:00:00',
        agent_id: 0,
      },
    ]);

    expect(exceptions).toEqual([]);
    expect(records).toHaveLength(1);
    const [project] = records;
    expect(project?.id).toBe(12);
    expect(project?.data).toMatchObject({
      id: 12,
      client_id: 3,
      projecttimebudget: 120.5,
      startdate: '2025-01-02T00:00:00.000Z',
      targetdate: null,
      agent_id: null,
    });
  });

  test('keeps unknown fields and the raw record', () => {
    const raw = { id: 1, name: 'Contoso', x_custom_flag: 'yes', nested: { a: 1 } };

    const { records } = validateRecords('clients', [raw]);

    expect(records[0]?.data).toMatchObject({ x_custom_flag: 'yes', nested: { a: 1 } });
    expect(records[0]?.raw).toBe(raw);
  });

  test('an invalid record becomes an issue naming its id and field, never a throw or a drop', () => {
    const { records, exceptions } = validateRecords('projects', [
      { id: 1, client_id: 2 },
      { id: 2, summary: 'no client' },
      { id: 3, client_id: 4, projecttimebudget: 'lots' },
      { id: 4, client_id: 5 },
    ]);

    expect(records.map((r) => r.id)).toEqual([1, 4]);
    expect(exceptions).toEqual([
      { resource: 'projects', recordId: '2', field: 'client_id', problem: 'is required' },
      {
        resource: 'projects',
        recordId: '3',
        field: 'projecttimebudget',
        problem: 'must be numeric, got "lots"',
      },
    ]);
  });

  test('a bad id gives an issue with a null record id', () => {
    const { records, exceptions } = validateRecords('tickets', [
      { id: -4, summary: 'x' },
      { summary: 'no id' },
      'not a record',
    ]);

    expect(records).toEqual([]);
    expect(exceptions).toEqual([
      {
        resource: 'tickets',
        recordId: null,
        field: 'id',
        problem: 'must be a positive integer, got -4',
      },
      { resource: 'tickets', recordId: null, field: 'id', problem: 'is required' },
      {
        resource: 'tickets',
        recordId: null,
        field: '(record)',
        problem: 'must be an object, got "not a record"',
      },
    ]);
  });

  test('names the nested field of a bad milestone', () => {
    const { exceptions } = validateRecords('projects', [
      {
        id: 9,
        client_id: 1,
        milestones: [
          { id: 1, name: 'Design', target_date: '2025-02-01T00:00:00' },
          { id: 2, name: 'Build', target_date: 'next week' },
        ],
      },
    ]);

    expect(exceptions).toEqual([
      {
        resource: 'projects',
        recordId: '9',
        field: 'milestones.1.target_date',
        problem: 'must be an ISO-8601 date, got "next week"',
      },
    ]);
  });

  test('reports every bad field of one record', () => {
    const { exceptions } = validateRecords('contracts', [
      { id: 5, client_id: 'abc', periodchargeamount: {}, start_date: 20250101 },
    ]);

    expect(exceptions.map((e) => e.field).sort()).toEqual([
      'client_id',
      'periodchargeamount',
      'start_date',
    ]);
    expect(exceptions.every((e) => e.recordId === '5')).toBe(true);
  });

  test('a task must name its parent project', () => {
    const { exceptions } = validateRecords('tasks', [{ id: 30, summary: 'orphan', parent_id: 0 }]);

    expect(exceptions).toEqual([
      {
        resource: 'tasks',
        recordId: '30',
        field: 'parent_id',
        problem: 'must be a positive integer, got 0',
      },
    ]);
  });

  test('reads each resource with its own required fields', () => {
    const ok = (resource: Parameters<typeof validateRecords>[0], raw: object): number =>
      validateRecords(resource, [raw]).exceptions.length;

    expect(ok('clients', { id: 1, name: 'A', inactive: 0 })).toBe(0);
    expect(ok('agents', { id: 1, name: 'Ann' })).toBe(0);
    expect(ok('tasks', { id: 2, parent_id: 1, estimate: '4' })).toBe(0);
    expect(ok('tickets', { id: 3 })).toBe(0);
    expect(
      ok('actions', { id: 4, ticket_id: 3, timetaken: '1.25', datetime: '2025-01-02T09:00:00' }),
    ).toBe(0);
    expect(ok('actions', { id: 4 })).toBe(1);
    expect(ok('timesheetEvents', { id: 5, start_date: '2025-01-02T09:00:00', timetaken: 2 })).toBe(
      0,
    );
    expect(ok('timesheetEvents', { id: 5 })).toBe(1);
    expect(ok('contracts', { id: 6, client_id: 1, chargehoursperperiod: '10' })).toBe(0);
    expect(
      ok('recurringInvoices', {
        id: 7,
        client_id: 1,
        lines: [{ id: 1, qty_order: '2', unit_price: 50 }],
      }),
    ).toBe(0);
    expect(ok('invoices', { id: 8, client_id: 1, amountdue: '0.00', duedate: '2025-02-01' })).toBe(
      0,
    );
    expect(ok('statuses', { id: 9, name: 'Closed' })).toBe(0);
    expect(ok('statuses', { id: 9 })).toBe(1);
  });

  test('reads booleans HaloPSA sends as 0/1 or text', () => {
    const { records } = validateRecords('clients', [
      { id: 1, name: 'A', inactive: 1, is_vip: 'false' },
    ]);

    expect(records[0]?.data).toMatchObject({ inactive: true, is_vip: false });
  });

  test.each([
    [21, 21],
    ['21', 21],
    [JSON.parse('21.0') as number, 21],
    ['21.0', 21],
  ])('reads the id %p as %p', (spelt, expected) => {
    const { records, exceptions } = validateRecords('tickets', [{ id: spelt, client_id: spelt }]);
    expect(exceptions).toEqual([]);
    expect(records[0]?.id).toBe(expected);
    expect(records[0]?.data).toMatchObject({ id: expected, client_id: expected });
  });

  test.each([[-1], ['-1'], [0], [null]])('reads the reference %p as none (null)', (none) => {
    const { records } = validateRecords('tickets', [
      { id: 5, agent_id: none, client_id: none, contract_id: none, team_id: none },
    ]);
    // Declared references (agent_id, client_id) and undeclared ones (contract_id, team_id) alike.
    expect(records[0]?.data).toMatchObject({
      agent_id: null,
      client_id: null,
      contract_id: null,
      team_id: null,
    });
  });

  test('an undeclared reference that is no id at all is kept as sent', () => {
    const { records, exceptions } = validateRecords('tickets', [
      { id: 5, team_id: 'Service desk' },
    ]);
    expect(exceptions).toEqual([]);
    expect(records[0]?.data).toMatchObject({ team_id: 'Service desk' });
  });

  test('-1 for a reference the record must have is an issue, not a silent none', () => {
    const { records, exceptions } = validateRecords('projects', [{ id: 5, client_id: -1 }]);
    expect(records).toEqual([]);
    expect(exceptions).toEqual([expect.objectContaining({ recordId: '5', field: 'client_id' })]);
  });
});
