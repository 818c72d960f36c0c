/**
 * JSON text of values made of objects the API froze itself after validating them (a list
 * page's unchanged sessions): such an object cannot change, so its text is made once and
 * reused by every response that holds it. Anything else is serialized as `JSON.stringify` does.
 */
const texts = new WeakMap<object, string>();
const frozenByUs = new WeakSet<object>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** Deep-freezes `value` (plain JSON data) and lets `jsonText` reuse its text. */
export function freezeForJson<T extends object>(value: T): T {
  deepFreeze(value);
  frozenByUs.add(value);
  return value;
}

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** `JSON.stringify(value)`, with the text of objects passed to `freezeForJson` remembered. */
export function jsonText(value: unknown, depth = 0): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (frozenByUs.has(value)) {
    let text = texts.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      texts.set(value, text);
    }
    return text;
  }
  // Only a top-level object and arrays directly in it (a page and its items) are walked here;
  // anything else is left to JSON.stringify, which is faster at what it does.
  if (Array.isArray(value)) {
    if (depth > 1) return JSON.stringify(value);
    const parts = value.map((item) =>
      item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 'null' : jsonText(item, depth + 1),
    );
    return `[${parts.join(',')}]`;
  }
  if (depth > 0) return JSON.stringify(value);
  if (!isPlainObject(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return JSON.stringify(value);
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    parts.push(`${JSON.stringify(key)}:${jsonText(item, depth + 1)}`);
  }
  return `{${parts.join(',')}}`;
}
