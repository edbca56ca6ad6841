/**
 * Values shared between callers (a card many clicks answer with, a view many askers read) are
 * frozen all the way down, so no caller can change what the others see; and, since they cannot
 * change, what is derived from them (their JSON) can be kept with them.
 */
const frozen = new WeakSet<object>();
const jsonOfFrozen = new WeakMap<object, string>();

/** Freezes `value` and everything it holds; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !frozen.has(value)) {
    // Marked first: a value that holds itself is frozen once.
    frozen.add(value);
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * `JSON.stringify(value)`, worked out once for a value `deepFreeze` froze (it cannot change), and
 * for an array or a plain object, once for each such value it holds: the JSON of
 * `[frozenView, options]` costs the options', and of a shared card with a notice on top, the notice's.
 */
export function jsonOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (frozen.has(value)) {
    let json = jsonOfFrozen.get(value);
    if (json === undefined) {
      json = JSON.stringify(value);
      jsonOfFrozen.set(value, json);
    }
    return json;
  }
  // Joined with `+`, not `join`: V8 strings joined so are kept as their pieces until read (the
  // answer's bytes), so the frozen parts' JSON is copied once, not once per level.
  if (Array.isArray(value)) {
    let json = '[';
    for (let i = 0; i < value.length; i++) json += (i > 0 ? ',' : '') + jsonOfItem(value[i]);
    return json + ']';
  }
  if (!isPlainObject(value)) return JSON.stringify(value);
  let json = '{';
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    json += (json.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + jsonOf(item);
  }
  return json + '}';
}

/** An object literal's kind of object, without a `toJSON` (a Date, say, is written by its own). */
function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return (
    (prototype === Object.prototype || prototype === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/** An array item's JSON: what JSON.stringify writes for it in an array. */
function jsonOfItem(item: unknown): string {
  if (item === undefined || typeof item === 'function' || typeof item === 'symbol') return 'null';
  return jsonOf(item);
}
