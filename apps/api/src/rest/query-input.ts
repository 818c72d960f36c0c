/**
 * Reads a query string as procedure input: `?status=running&status=failed&limit=20&includeArchived=true`
 * → `{ status: ['running','failed'], limit: 20, includeArchived: true }`. Numbers and booleans are
 * converted only when the whole value looks like one; the procedure's schema has the last word.
 */
export function queryToInput(
  query: URLSearchParams,
  arrayKeys: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key).map(scalar);
    input[key] = values.length > 1 || arrayKeys.has(key) ? values : values[0];
  }
  return input;
}

function scalar(value: string): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(value) && value.length < 16) return Number(value);
  return value;
}
