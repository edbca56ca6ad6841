import fc from 'fast-check';
import { csdlDocument } from './odata-csdl';
import { ENTITY_SETS, entitySet } from './odata-model';
import { parseFeedQuery } from './odata-query';

const projects = entitySet('Projects')!;
const parse = (options: Record<string, string | string[]>) => parseFeedQuery(projects, options);

describe('parseFeedQuery', () => {
  test('without options every property is selected, in model order, with no paging state', () => {
    const result = parse({});
    expect(result).toEqual({
      ok: true,
      query: {
        select: projects.properties.map((p) => p.name),
        selected: false,
        filter: [],
        orderBy: [],
        top: null,
        skip: 0,
        count: false,
        delivered: 0,
      },
    });
  });

  test.each([
    ['Id eq 5', [{ property: 'Id', type: 'Edm.Int64', operator: 'eq', value: 5 }]],
    [
      "Summary ne 'O''Brien'",
      [{ property: 'Summary', type: 'Edm.String', operator: 'ne', value: "O'Brien" }],
    ],
    [
      'MoneyBudget ge -1.5e3',
      [{ property: 'MoneyBudget', type: 'Edm.Double', operator: 'ge', value: -1500 }],
    ],
    ['OnHold eq true', [{ property: 'OnHold', type: 'Edm.Boolean', operator: 'eq', value: true }]],
    [
      'DateClosed eq null',
      [{ property: 'DateClosed', type: 'Edm.DateTimeOffset', operator: 'eq', value: null }],
    ],
    [
      '(StartDate lt 2026-06-01T00:00:00+02:00) and (Id gt 3 and Id le 9)',
      [
        {
          property: 'StartDate',
          type: 'Edm.DateTimeOffset',
          operator: 'lt',
          value: '2026-06-01T00:00:00+02:00',
        },
        { property: 'Id', type: 'Edm.Int64', operator: 'gt', value: 3 },
        { property: 'Id', type: 'Edm.Int64', operator: 'le', value: 9 },
      ],
    ],
  ])('$filter=%s is read into typed comparisons', (filter, expected) => {
    const result = parse({ $filter: filter });
    expect(result.ok && result.query.filter).toEqual(expected);
  });

  test('a Date property takes a date literal', () => {
    const result = parseFeedQuery(entitySet('HealthSnapshots')!, {
      $filter: 'SnapshotDate ge 2026-11-01',
    });
    expect(result.ok && result.query.filter[0]?.value).toBe('2026-11-01');
  });

  test.each([
    ['$filter', 'Id eq 1 or Id eq 2', 'only "and"'],
    ['$filter', 'not OnHold eq true', 'Properties:'],
    ['$filter', "Id eq '1'", 'Edm.Int64'],
    ['$filter', 'Summary eq 1', 'Edm.String'],
    ['$filter', 'StartDate eq 2026-01-01', 'Edm.DateTimeOffset'],
    ['$filter', 'StartDate eq 2026-02-30T00:00:00Z', 'Edm.DateTimeOffset'],
    ['$filter', 'Id gt null', 'null can only'],
    ['$filter', 'Id eq 9007199254740993', 'Edm.Int64'],
    ['$filter', "Summary eq 'open", 'closing quote'],
    ['$filter', '(Id eq 1', 'without its ")"'],
    ['$filter', 'Id eq 1)', 'after its last comparison'],
    ['$filter', 'Id eq 1; DROP TABLE x', 'cannot be read'],
    ['$filter', "tolower(Summary) eq 'a'", 'no property "tolower"'],
    ['$filter', `${'('.repeat(12)}Id eq 1${')'.repeat(12)}`, 'deeper than'],
    ['$select', 'Id,Nope', 'no property "Nope"'],
    ['$orderby', 'Id up', '$orderby lists'],
    ['$top', '-1', '$top must be'],
    ['$skip', '1.5', '$skip must be'],
    ['$count', 'yes', '$count must be'],
    ['$expand', 'Gates', 'not supported'],
    ['$format', 'atom', 'only json'],
  ])('%s=%s is refused with a message naming the problem', (name, value, message) => {
    const result = parse({ [name]: value });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  test('a $filter longer than 2000 characters is refused', () => {
    const result = parse({ $filter: `Id eq 1${' and Id eq 1'.repeat(200)}` });
    expect(!result.ok && result.message).toContain('longer than 2000');
  });

  test('an option given twice is refused; custom options are ignored', () => {
    expect(parse({ $top: ['1', '2'] }).ok).toBe(false);
    expect(parse({ 'api-version': '2' }).ok).toBe(true);
  });

  test('$select keeps model order; * selects everything', () => {
    const result = parse({ $select: 'Summary, Id' });
    expect(result.ok && result.query).toMatchObject({ select: ['Id', 'Summary'], selected: true });
    expect(parse({ $select: '*' }).ok && parse({ $select: '*' })).toMatchObject({
      query: { selected: false },
    });
  });

  test('any $filter text either parses into model properties or is refused, never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const result = parse({ $filter: text });
        if (result.ok) {
          const names = new Set(projects.properties.map((p) => p.name));
          expect(result.query.filter.every((c) => names.has(c.property))).toBe(true);
        } else expect(result.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('csdlDocument', () => {
  test('declares every entity set with its qualified entity type and key', () => {
    const xml = csdlDocument();
    for (const set of ENTITY_SETS) {
      expect(xml).toContain(
        `<EntitySet Name="${set.name}" EntityType="ControlTower.${set.entityType}"/>`,
      );
      expect(xml).toContain(`<EntityType Name="${set.entityType}">`);
    }
    expect(xml).toContain('<edmx:Edmx Version="4.0"');
  });
});
