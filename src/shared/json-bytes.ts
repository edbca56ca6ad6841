/**
 * JSON as UTF-8 bytes without building the JSON string: its length (`jsonBytes`: every card is
 * measured against Teams' budget on every click) and the bytes themselves (`jsonBuffer`: the body
 * of an invoke response). A card's text holds characters past Latin-1 ('•', '≥', '—'), so
 * `JSON.stringify` of it is a two-byte string twice the card's size, which the HTTP write then
 * measures and encodes again; written straight into a buffer of the length counted first, the
 * body costs one allocation, outside the JavaScript heap.
 */

/** Characters JSON.stringify escapes, and lone-surrogate candidates (escaped as \uXXXX). */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;
const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x08, 0x0c, 0x0a, 0x0d, 0x09]);

/** The UTF-8 length of `JSON.stringify(value)`, counted without building it. */
export function jsonBytes(value: unknown): number {
  const json = jsonValue(value);
  if (json === null) return 4;
  switch (typeof json) {
    case 'string':
      return stringBytes(json);
    case 'number':
      return Number.isFinite(json) ? String(json).length : 4;
    case 'boolean':
      return json ? 4 : 5;
    case 'object': {
      if (Array.isArray(json)) {
        let bytes = 2 + Math.max(0, json.length - 1);
        for (const item of json) bytes += storable(jsonValue(item)) ? jsonBytes(item) : 4;
        return bytes;
      }
      let bytes = 2;
      let members = 0;
      for (const key in json) {
        if (!Object.prototype.hasOwnProperty.call(json, key)) continue;
        const item = (json as Record<string, unknown>)[key];
        if (!storable(jsonValue(item))) continue;
        bytes += stringBytes(key) + 1 + jsonBytes(item);
        members += 1;
      }
      return bytes + Math.max(0, members - 1);
    }
    default:
      return 0;
  }
}

/**
 * `JSON.stringify(value)` as UTF-8 bytes, written into one buffer of the length `jsonBytes`
 * counts; null where `JSON.stringify` gives no JSON (undefined, a function, a symbol).
 */
export function jsonBuffer(value: unknown): Buffer | null {
  if (!storable(jsonValue(value))) return null;
  const buffer = Buffer.allocUnsafe(jsonBytes(value));
  const end = writeJson(buffer, 0, value);
  if (end !== buffer.length) throw new Error(`JSON written ${end} of ${buffer.length} bytes`);
  return buffer;
}

/** Writes the JSON of `value` (storable once `jsonValue` has resolved it) at `at`; returns its end. */
function writeJson(buffer: Buffer, at: number, value: unknown): number {
  const json = jsonValue(value);
  if (json === null) return at + buffer.write('null', at, 'latin1');
  switch (typeof json) {
    case 'string':
      return writeString(buffer, at, json);
    case 'number':
      return at + buffer.write(Number.isFinite(json) ? String(json) : 'null', at, 'latin1');
    case 'boolean':
      return at + buffer.write(json ? 'true' : 'false', at, 'latin1');
    case 'object': {
      if (Array.isArray(json)) {
        buffer[at++] = 0x5b; // [
        json.forEach((item, i) => {
          if (i > 0) buffer[at++] = 0x2c; // ,
          at = storable(jsonValue(item))
            ? writeJson(buffer, at, item)
            : at + buffer.write('null', at, 'latin1');
        });
        buffer[at++] = 0x5d; // ]
        return at;
      }
      buffer[at++] = 0x7b; // {
      let members = 0;
      for (const key in json) {
        if (!Object.prototype.hasOwnProperty.call(json, key)) continue;
        const item = (json as Record<string, unknown>)[key];
        if (!storable(jsonValue(item))) continue;
        if (members > 0) buffer[at++] = 0x2c; // ,
        at = writeString(buffer, at, key);
        buffer[at++] = 0x3a; // :
        at = writeJson(buffer, at, item);
        members += 1;
      }
      buffer[at++] = 0x7d; // }
      return at;
    }
    default:
      // A BigInt: JSON.stringify throws too.
      throw new TypeError(`JSON has no ${typeof json}`);
  }
}

/** What JSON.stringify serialises for `value`: an object's `toJSON()` when it has one. */
function jsonValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const toJson = (value as { toJSON?: () => unknown }).toJSON;
  return typeof toJson === 'function' ? toJson.call(value) : value;
}

/** Whether JSON.stringify writes a member with this value (it skips undefined, functions, symbols). */
function storable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function stringBytes(text: string): number {
  const bytes = 2 + Buffer.byteLength(text, 'utf8');
  if (!JSON_ESCAPED.test(text)) return bytes;
  let extra = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (SHORT_ESCAPES.has(code)) extra += 1;
    else if (code < 0x20) extra += 5;
    else if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i += 1;
      // A lone surrogate: \uXXXX (6 bytes) where UTF-8 counted the replacement character (3).
      else extra += 3;
    }
  }
  return bytes + extra;
}

/** A JSON string: as it is between quotes, or as `JSON.stringify` escapes it when it must. */
function writeString(buffer: Buffer, at: number, text: string): number {
  if (JSON_ESCAPED.test(text)) return at + buffer.write(JSON.stringify(text), at, 'utf8');
  buffer[at++] = 0x22; // "
  at += buffer.write(text, at, 'utf8');
  buffer[at++] = 0x22; // "
  return at;
}
