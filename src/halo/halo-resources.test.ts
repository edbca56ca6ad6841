import {
  classifyTicket,
  HALO_RESOURCE_NAMES,
  HALO_RESOURCES,
  haloResource,
  isHaloResourceName,
} from './halo-resources';
import { HALO_RECORD_SCHEMAS } from './halo-records';

describe('resource catalogue', () => {
  test('has one entry per synced resource, each with a record schema', () => {
    expect([...HALO_RESOURCE_NAMES].sort()).toEqual(
      [
        'actions',
        'agents',
        'clients',
        'contacts',
        'contracts',
        'invoices',
        'projects',
        'recurringInvoices',
        'statuses',
        'tasks',
        'tickets',
        'timesheetEvents',
      ].sort(),
    );
    for (const name of HALO_RESOURCE_NAMES) expect(HALO_RECORD_SCHEMAS[name]).toBeDefined();
  });

  test.each([
    ['clients', 'Client', 'clients', true],
    ['contacts', 'Users', 'users', true],
    ['agents', 'Agent', null, false],
    ['projects', 'Projects', 'tickets', true],
    ['tasks', 'Tickets', 'tickets', true],
    ['tickets', 'Tickets', 'tickets', true],
    ['actions', 'Actions', 'actions', true],
    ['timesheetEvents', 'TimesheetEvent', null, true],
    ['contracts', 'ClientContract', 'contracts', true],
    ['recurringInvoices', 'RecurringInvoice', 'invoices', true],
    ['invoices', 'Invoice', 'invoices', true],
    ['statuses', 'Status', null, false],
  ])('%s is listed from /api/%s with envelope %p (pages: %p)', (name, path, envelope, pages) => {
    expect(haloResource(name)).toMatchObject({ path, envelope, pages });
  });

  test('projects and contracts need a detail read per record', () => {
    expect(haloResource('projects')?.detail).toMatchObject({
      path: 'Projects',
      params: { includedetails: true },
    });
    expect(haloResource('contracts')?.detail?.path).toBe('ClientContract');
    const withDetail = HALO_RESOURCES.filter((r) => r.detail !== null).map((r) => r.name);
    expect(withDetail.sort()).toEqual(['contracts', 'projects']);
  });

  test('incremental reads are flagged only where HaloPSA documents lastupdatefromdate', () => {
    const incremental = HALO_RESOURCES.filter((r) => r.incremental).map((r) => r.path);
    expect(new Set(incremental)).toEqual(new Set(['Client', 'Projects', 'Tickets']));
  });

  test('knows its own names', () => {
    expect(isHaloResourceName('tasks')).toBe(true);
    expect(isHaloResourceName('Tickets')).toBe(false);
    expect(haloResource('nope')).toBeUndefined();
  });
});

describe('classifyTicket', () => {
  test.each([
    [{ id: 1, is_project: true }, 'project'],
    [{ id: 2, parent_id: 1 }, 'task'],
    [{ id: 3, parent_id: '1' }, 'task'],
    [{ id: 4, parent_id: 0 }, 'ticket'],
    [{ id: 5, parent_id: null }, 'ticket'],
    [{ id: 6 }, 'ticket'],
    [null, 'ticket'],
  ])('classifies %p as %p', (row, kind) => {
    expect(classifyTicket(row)).toBe(kind);
  });

  test('a child of a service ticket is a ticket when the projects are known', () => {
    const projects = new Set([1]);
    expect(classifyTicket({ id: 2, parent_id: 1 }, projects)).toBe('task');
    expect(classifyTicket({ id: 3, parent_id: 99 }, projects)).toBe('ticket');
  });
});
