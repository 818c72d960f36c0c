/** Structural equality of JSON values, independent of key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const leftKeys = Object.keys(left).filter((k) => left[k] !== undefined);
  const rightKeys = Object.keys(right).filter((k) => right[k] !== undefined);
  return leftKeys.length === rightKeys.length && leftKeys.every((k) => jsonEqual(left[k], right[k]));
}

/** Equality of two objects ignoring some top-level keys. */
export function jsonEqualExcept(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  ignored: readonly string[],
): boolean {
  const strip = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([k]) => !ignored.includes(k)));
  return jsonEqual(strip(a), strip(b));
}
