/**
 * The OData query options the feed accepts, parsed into a typed query or refused with a message the
 * caller can act on: `$select`, `$filter` (comparisons of a property with a literal joined by `and`,
 * parentheses allowed), `$orderby`, `$top`, `$skip`, `$count`, `$format=json` and our own
 * `$skiptoken` (server-driven paging). Everything else named with `$` is refused, so a report never
 * silently gets rows it did not ask for. Every property name is checked against the model and every
 * literal against the property's type: what reaches SQL is a whitelisted name and a typed value.
 */
import { isIsoDate } from '../shared/dates';
import type { EdmType, EntitySetModel } from './odata-model';

/** A comparison operator of `$filter`. */
export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** A literal already checked against its property's type (dates stay ISO strings). */
export type FilterValue = string | number | boolean | null;

/** `Property op literal`; all comparisons of a filter must hold (`and`). */
export interface Comparison {
  property: string;
  type: EdmType;
  operator: ComparisonOperator;
  value: FilterValue;
}

/** One `$orderby` item. */
export interface OrderBy {
  property: string;
  descending: boolean;
}

/** A parsed request against one entity set. */
export interface FeedQuery {
  /** The properties to return, in model order (every property when `$select` is absent). */
  select: readonly string[];
  /** True when `$select` narrowed the properties (the context URL names them). */
  selected: boolean;
  filter: readonly Comparison[];
  orderBy: readonly OrderBy[];
  /** `$top`, or null for all rows. */
  top: number | null;
  skip: number;
  count: boolean;
  /** Rows already delivered by earlier pages of this request (`$skiptoken`). */
  delivered: number;
}

export type FeedQueryResult = { ok: true; query: FeedQuery } | { ok: false; message: string };

/** The most rows `$top` and `$skip` may name. */
export const MAX_ROW_COUNT = 1_000_000_000;
/** Longest `$filter` accepted, in characters. */
export const MAX_FILTER_LENGTH = 2_000;
const MAX_COMPARISONS = 50;
const MAX_DEPTH = 10;

const OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const SUPPORTED_OPTIONS: ReadonlySet<string> = new Set([
  '$select',
  '$filter',
  '$orderby',
  '$top',
  '$skip',
  '$count',
  '$format',
  '$skiptoken',
]);
const INTEGER = /^\d{1,10}$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

class Refusal extends Error {}

function refuse(message: string): never {
  throw new Refusal(message);
}

/**
 * Parses the query options of a request for `set`; `options` are the raw query parameters (a
 * parameter given twice arrives as an array and is refused).
 */
export function parseFeedQuery(
  set: EntitySetModel,
  options: Record<string, string | readonly string[] | undefined>,
): FeedQueryResult {
  try {
    const single = singleOptions(options);
    const select = parseSelect(set, single.$select);
    return {
      ok: true,
      query: {
        select: select ?? set.properties.map((prop) => prop.name),
        selected: select !== null,
        filter: single.$filter === undefined ? [] : parseFilter(set, single.$filter),
        orderBy: single.$orderby === undefined ? [] : parseOrderBy(set, single.$orderby),
        top: single.$top === undefined ? null : count('$top', single.$top),
        skip: single.$skip === undefined ? 0 : count('$skip', single.$skip),
        count: parseBoolean('$count', single.$count),
        delivered: single.$skiptoken === undefined ? 0 : count('$skiptoken', single.$skiptoken),
      },
    };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, message: error.message };
    throw error;
  }
}

function singleOptions(options: Record<string, string | readonly string[] | undefined>) {
  const single: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!name.startsWith('$')) continue; // custom query options are allowed and ignored
    if (!SUPPORTED_OPTIONS.has(name)) {
      refuse(
        `The query option ${clip(name)} is not supported. Supported: ${[...SUPPORTED_OPTIONS].join(', ')}.`,
      );
    }
    if (typeof value !== 'string') refuse(`The query option ${name} is given more than once.`);
    single[name] = value;
  }
  const format = single.$format;
  if (format !== undefined && format !== 'json' && !format.startsWith('application/json')) {
    refuse('$format supports only json.');
  }
  return single;
}

function count(name: string, text: string): number {
  const value = text.trim();
  if (!INTEGER.test(value) || Number(value) > MAX_ROW_COUNT) {
    refuse(`${name} must be a whole number from 0 to ${MAX_ROW_COUNT}.`);
  }
  return Number(value);
}

function parseBoolean(name: string, text: string | undefined): boolean {
  if (text === undefined) return false;
  if (text === 'true' || text === 'false') return text === 'true';
  return refuse(`${name} must be true or false.`);
}

function property(set: EntitySetModel, name: string) {
  const found = set.properties.find((prop) => prop.name === name);
  if (!found) {
    refuse(
      `${set.name} has no property "${clip(name)}". Properties: ${set.properties.map((prop) => prop.name).join(', ')}.`,
    );
  }
  return found;
}

function parseSelect(set: EntitySetModel, text: string | undefined): string[] | null {
  if (text === undefined) return null;
  const names = text.split(',').map((name) => name.trim());
  if (names.includes('*')) return null;
  if (names.some((name) => name === ''))
    refuse('$select lists property names separated by commas.');
  const wanted = new Set(names.map((name) => property(set, name).name));
  return set.properties.filter((prop) => wanted.has(prop.name)).map((prop) => prop.name);
}

function parseOrderBy(set: EntitySetModel, text: string): OrderBy[] {
  return text.split(',').map((item) => {
    const parts = item.trim().split(/\s+/);
    const [name, direction, extra] = parts;
    if (
      !name ||
      extra !== undefined ||
      (direction !== undefined && !/^(asc|desc)$/.test(direction))
    ) {
      refuse('$orderby lists "Property" or "Property asc|desc", separated by commas.');
    }
    return { property: property(set, name).name, descending: direction === 'desc' };
  });
}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'date'; text: string }
  | { kind: 'datetime'; text: string }
  | { kind: '(' | ')' };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT:])/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?![\w.])/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;
/** Tried in this order: a date-time before a date before a number. */
const LITERALS = [
  ['datetime', DATETIME],
  ['date', DATE],
  ['number', NUMBER],
  ['word', WORD],
] as const;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let rest = text;
  while (rest.length > 0) {
    const space = /^\s+/.exec(rest);
    if (space) {
      rest = rest.slice(space[0].length);
      continue;
    }
    const first = rest[0];
    if (first === '(' || first === ')') {
      tokens.push({ kind: first });
      rest = rest.slice(1);
      continue;
    }
    if (first === "'") {
      let value = '';
      let i = 1;
      for (;;) {
        if (i >= rest.length) refuse('$filter has a string literal without its closing quote.');
        if (rest[i] === "'") {
          if (rest[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          break;
        }
        value += rest[i];
        i += 1;
      }
      tokens.push({ kind: 'string', text: value });
      rest = rest.slice(i + 1);
      continue;
    }
    const match = LITERALS.map(([kind, pattern]) => ({ kind, m: pattern.exec(rest) })).find(
      (candidate) => candidate.m !== null,
    );
    if (!match?.m) refuse(`$filter cannot be read at "${clip(rest)}".`);
    tokens.push({ kind: match.kind, text: match.m[0] });
    rest = rest.slice(match.m[0].length);
  }
  return tokens;
}

function parseFilter(set: EntitySetModel, text: string): Comparison[] {
  if (text.length > MAX_FILTER_LENGTH)
    refuse(`$filter is longer than ${MAX_FILTER_LENGTH} characters.`);
  const tokens = tokenize(text);
  if (tokens.length === 0) refuse('$filter is empty.');
  let at = 0;
  const comparisons: Comparison[] = [];

  const peek = () => tokens[at];
  const expression = (depth: number): void => {
    if (depth > MAX_DEPTH) refuse(`$filter nests parentheses deeper than ${MAX_DEPTH}.`);
    term(depth);
    for (;;) {
      const next = peek();
      if (next?.kind !== 'word') return;
      if (next.text === 'and') {
        at += 1;
        term(depth);
      } else if (next.text === 'or' || next.text === 'not') {
        refuse(`$filter supports only "and" between comparisons, not "${next.text}".`);
      } else return;
    }
  };
  const term = (depth: number): void => {
    const first = peek();
    if (first?.kind === '(') {
      at += 1;
      expression(depth + 1);
      if (peek()?.kind !== ')') refuse('$filter has a "(" without its ")".');
      at += 1;
      return;
    }
    comparisons.push(comparison());
    if (comparisons.length > MAX_COMPARISONS) {
      refuse(`$filter has more than ${MAX_COMPARISONS} comparisons.`);
    }
  };
  const comparison = (): Comparison => {
    const name = tokens[at];
    const op = tokens[at + 1];
    const literal = tokens[at + 2];
    if (name?.kind !== 'word' || !IDENTIFIER.test(name.text)) {
      refuse('$filter compares a property with a literal: Property eq|ne|gt|ge|lt|le value.');
    }
    const prop = property(set, name.text);
    if (op?.kind !== 'word' || !OPERATORS.has(op.text)) {
      refuse(
        `$filter supports the operators eq, ne, gt, ge, lt and le after ${prop.name}${
          op && 'text' in op ? `, not "${clip(op.text)}"` : ''
        }.`,
      );
    }
    if (literal === undefined || !('text' in literal)) {
      refuse(`$filter needs a literal value after "${prop.name} ${op.text}".`);
    }
    at += 3;
    const operator = op.text as ComparisonOperator;
    return {
      property: prop.name,
      type: prop.type,
      operator,
      value: typed(prop, operator, literal),
    };
  };

  expression(0);
  if (at < tokens.length) refuse('$filter has text after its last comparison that cannot be read.');
  return comparisons;
}

function typed(
  prop: { name: string; type: EdmType },
  operator: ComparisonOperator,
  literal: Exclude<Token, { kind: '(' | ')' }>,
): FilterValue {
  const mismatch = (): never =>
    refuse(`${prop.name} is ${prop.type}: "${clip(literal.text)}" is not a value of that type.`);
  if (literal.kind === 'word' && literal.text === 'null') {
    if (operator !== 'eq' && operator !== 'ne') refuse(`null can only be compared with eq or ne.`);
    return null;
  }
  switch (prop.type) {
    case 'Edm.String':
      return literal.kind === 'string' ? literal.text : mismatch();
    case 'Edm.Boolean':
      return literal.kind === 'word' && (literal.text === 'true' || literal.text === 'false')
        ? literal.text === 'true'
        : mismatch();
    case 'Edm.Int32':
    case 'Edm.Int64': {
      if (literal.kind !== 'number' || !/^-?\d+$/.test(literal.text)) return mismatch();
      const value = Number(literal.text);
      const limit = prop.type === 'Edm.Int32' ? 2 ** 31 - 1 : Number.MAX_SAFE_INTEGER;
      return Math.abs(value) <= limit ? value : mismatch();
    }
    case 'Edm.Double': {
      if (literal.kind !== 'number') return mismatch();
      const value = Number(literal.text);
      return Number.isFinite(value) ? value : mismatch();
    }
    case 'Edm.Date':
      return literal.kind === 'date' && isIsoDate(literal.text) ? literal.text : mismatch();
    case 'Edm.DateTimeOffset': {
      if (literal.kind !== 'datetime') return mismatch();
      const day = literal.text.slice(0, 10);
      const time = Date.parse(literal.text);
      return isIsoDate(day) && Number.isFinite(time) ? literal.text : mismatch();
    }
  }
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
