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
 * for an array, once for each such item: the JSON of `[frozenView, options]` costs the options'.
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
  if (Array.isArray(value)) return `[${value.map((item) => jsonOfItem(item)).join(',')}]`;
  return JSON.stringify(value);
}

/** An array item's JSON: what JSON.stringify writes for it in an array. */
function jsonOfItem(item: unknown): string {
  if (item === undefined || typeof item === 'function' || typeof item === 'symbol') return 'null';
  return jsonOf(item);
}
