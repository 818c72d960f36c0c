/**
 * The three patch formats the API server accepts: JSON merge patch (RFC 7386), JSON patch
 * (RFC 6902) and strategic merge patch. Strategic merge knows the merge keys of the built-in
 * lists a pod manager touches (containers, env, volumes, ports, conditions…, see MERGE_KEYS);
 * any other list is replaced as in a merge patch.
 */
import { z } from 'zod';
import { badRequest, KubeApiError } from './api-error';
import { isPlainObject, type JsonObject } from './kube-object';

const clone = <T>(value: T): T => structuredClone(value);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const result: JsonObject = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

// ---------------------------------------------------------------- JSON patch (RFC 6902)

export const ZJsonPatch = z.array(
  z.discriminatedUnion('op', [
    z.object({ op: z.literal('add'), path: z.string(), value: z.unknown() }),
    z.object({ op: z.literal('replace'), path: z.string(), value: z.unknown() }),
    z.object({ op: z.literal('test'), path: z.string(), value: z.unknown() }),
    z.object({ op: z.literal('remove'), path: z.string() }),
    z.object({ op: z.literal('move'), path: z.string(), from: z.string() }),
    z.object({ op: z.literal('copy'), path: z.string(), from: z.string() }),
  ]),
);
export type JsonPatch = z.infer<typeof ZJsonPatch>;

const patchFailure = (message: string) =>
  new KubeApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`);

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`json patch path "${path}" must start with "/"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(doc: unknown, segments: string[], path: string): { parent: unknown; key: string } {
  let current = doc;
  for (const segment of segments.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isPlainObject(current)) current = current[segment];
    else current = undefined;
    if (current === undefined) throw patchFailure(`doc is missing path: "${path}"`);
  }
  return { parent: current, key: segments.at(-1)! };
}

function readAt(doc: unknown, path: string): unknown {
  let current = doc;
  for (const segment of pointer(path)) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isPlainObject(current)) current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    else current = undefined;
    if (current === undefined) throw patchFailure(`doc is missing path: "${path}"`);
  }
  return current;
}

function arrayIndex(parent: unknown[], key: string, path: string, allowEnd: boolean): number {
  if (key === '-' && allowEnd) return parent.length;
  if (!/^\d+$/.test(key)) throw patchFailure(`invalid array index "${key}" in "${path}"`);
  const index = Number(key);
  if (index > parent.length || (!allowEnd && index === parent.length))
    throw patchFailure(`array index ${index} out of bounds in "${path}"`);
  return index;
}

function addAt(doc: unknown, path: string, value: unknown): unknown {
  const segments = pointer(path);
  if (segments.length === 0) return clone(value);
  const { parent, key } = parentOf(doc, segments, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, true), 0, clone(value));
  else if (isPlainObject(parent)) parent[key] = clone(value);
  else throw patchFailure(`doc is missing path: "${path}"`);
  return doc;
}

function removeAt(doc: unknown, path: string): unknown {
  const segments = pointer(path);
  const { parent, key } = parentOf(doc, segments, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, false), 1);
  else if (isPlainObject(parent) && Object.hasOwn(parent, key)) delete parent[key];
  else throw patchFailure(`unable to remove nonexistent key: ${key}: missing value`);
  return doc;
}

const deepEqual = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys(value[k])]),
  );
}

export function jsonPatch(target: unknown, operations: JsonPatch): unknown {
  let doc = clone(target);
  for (const op of operations) {
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, op.value);
        break;
      case 'remove':
        doc = removeAt(doc, op.path);
        break;
      case 'replace':
        readAt(doc, op.path);
        doc = addAt(removeAt(doc, op.path), op.path, op.value);
        break;
      case 'move': {
        const value = readAt(doc, op.from);
        doc = addAt(removeAt(doc, op.from), op.path, value);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, readAt(doc, op.from));
        break;
      case 'test':
        if (!deepEqual(readAt(doc, op.path), op.value)) throw patchFailure(`testing value ${op.path} failed`);
        break;
    }
  }
  return doc;
}

// ---------------------------------------------------------------- strategic merge patch

/** patchMergeKey of built-in list fields, by field name (the key for `ports` depends on the item). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};
/** Lists of scalars with patchStrategy "merge": patched as sets. */
const MERGED_SCALAR_LISTS = new Set(['finalizers']);

function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  if (field === 'ports') return items.some((i) => isPlainObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

function mergeList(field: string, live: unknown, patch: unknown[], order: unknown[] | undefined): unknown[] {
  const current = Array.isArray(live) ? live : [];
  if (patch.some((i) => isPlainObject(i) && i.$patch === 'replace'))
    return clone(patch.filter((i) => !(isPlainObject(i) && i.$patch === 'replace')));
  if (MERGED_SCALAR_LISTS.has(field) && patch.every((i) => !isPlainObject(i))) {
    const merged = [...current];
    for (const item of patch) if (!merged.includes(item)) merged.push(item);
    return merged;
  }
  const key = mergeKeyFor(field, [...patch, ...current]);
  if (!key || !patch.every(isPlainObject)) return clone(patch);
  const merged = current.map((item) => clone(item));
  for (const item of patch as JsonObject[]) {
    const index = merged.findIndex((m) => isPlainObject(m) && m[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) merged.splice(index, 1);
      continue;
    }
    if (index >= 0) merged[index] = strategicMerge(merged[index], item);
    else merged.push(strategicMerge({}, item));
  }
  if (order) {
    const rank = new Map(order.map((o, i) => [isPlainObject(o) ? o[key] : o, i]));
    const positioned = merged.filter((m) => isPlainObject(m) && rank.has(m[key]));
    positioned.sort((a, b) => rank.get((a as JsonObject)[key])! - rank.get((b as JsonObject)[key])!);
    const rest = merged.filter((m) => !(isPlainObject(m) && rank.has(m[key])));
    return [...positioned, ...rest];
  }
  return merged;
}

export function strategicMerge(live: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return clone(rest);
  }
  const result: JsonObject = isPlainObject(live) ? { ...live } : {};
  const retainKeys = Array.isArray(patch.$retainKeys) ? new Set(patch.$retainKeys.map(String)) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const remove = Array.isArray(value) ? value : [];
      if (Array.isArray(result[field])) result[field] = (result[field] as unknown[]).filter((v) => !remove.includes(v));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    if (isPlainObject(value) && value.$patch === 'delete') {
      delete result[key];
      continue;
    }
    if (Array.isArray(value)) {
      const order = patch[`$setElementOrder/${key}`];
      result[key] = mergeList(key, result[key], value, Array.isArray(order) ? order : undefined);
      continue;
    }
    result[key] = isPlainObject(value) ? strategicMerge(result[key], value) : clone(value);
  }
  if (retainKeys) for (const key of Object.keys(result)) if (!retainKeys.has(key)) delete result[key];
  return result;
}

/**
 * Server-side apply without managed-field tracking: fields this manager applied before and no
 * longer applies are removed, then the applied configuration is merged strategically.
 */
export function applyConfiguration(live: unknown, previous: unknown, next: unknown): unknown {
  return strategicMerge(removeDropped(clone(live), previous, next), next);
}

function removeDropped(live: unknown, previous: unknown, next: unknown): unknown {
  if (!isPlainObject(live) || !isPlainObject(previous)) return live;
  const nextObject = isPlainObject(next) ? next : {};
  for (const [key, before] of Object.entries(previous)) {
    if (!Object.hasOwn(nextObject, key)) delete live[key];
    else if (isPlainObject(before)) live[key] = removeDropped(live[key], before, nextObject[key]);
  }
  return live;
}
