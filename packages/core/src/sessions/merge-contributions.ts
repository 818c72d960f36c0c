import { DomainError } from '../errors';
import type { SessionContribution } from './session-context';

/** Lists whose items are identified by `name`: items with the same name merge. */
export const NAMED_LISTS: ReadonlySet<string> = new Set(['containers', 'volumes', 'volumeMounts', 'env']);

export interface NamedContribution {
  contributor: string;
  contribution: SessionContribution;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

const kindOf = (v: unknown) => (Array.isArray(v) ? 'list' : isPlain(v) ? 'object' : 'value');
const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/**
 * Deep-merges contributions into one spec object (not yet validated):
 * - objects merge key by key, recursively;
 * - named lists (`containers`, `volumes`, `volumeMounts`, `env`) merge item by `name`
 *   (an item's fields merge like objects), in order of first appearance;
 * - other lists concatenate in contributor order;
 * - a value set by two contributors must be equal; otherwise `SPEC_CONFLICT` names both
 *   contributors and the path. An object, a list and a value at the same path also conflict.
 * `undefined` means "not set". Inputs are never modified.
 */
export function mergeContributions(contributions: readonly NamedContribution[]): Plain {
  const merged: Plain = {};
  // Who first set each path (objects, lists and values), to name them in a conflict.
  const owners = new Map<string, string>();
  for (const { contributor, contribution } of contributions) {
    const source: Plain = { ...contribution.values, pod: contribution.podSpec };
    if ('pod' in contribution.values) {
      throw new DomainError(
        'SPEC_INVALID',
        `Contributor "${contributor}" put "pod" in values; pod additions belong in podSpec`,
        { contributor, path: 'pod' },
      );
    }
    mergeObject(merged, source, '', contributor, owners);
  }
  return merged;
}

function join(path: string, key: string) {
  return path ? `${path}.${key}` : key;
}

function conflict(path: string, first: string, second: string, a: unknown, b: unknown): DomainError {
  const detail = kindOf(a) === kindOf(b) ? `${show(a)} vs ${show(b)}` : `a ${kindOf(a)} vs a ${kindOf(b)}`;
  const who =
    first === second
      ? `Contributor "${first}" sets ${path} twice`
      : `Contributors "${first}" and "${second}" both set ${path}`;
  return new DomainError('SPEC_CONFLICT', `${who} (${detail})`, { path, contributors: [first, second] });
}

function mergeObject(target: Plain, source: Plain, path: string, contributor: string, owners: Map<string, string>) {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const at = join(path, key);
    const existing = target[key];
    if (existing === undefined) {
      target[key] = adopt(value, at, key, contributor, owners);
      continue;
    }
    const first = owners.get(at) ?? contributor;
    if (kindOf(existing) !== kindOf(value)) throw conflict(at, first, contributor, existing, value);
    if (Array.isArray(existing)) {
      const items = value as unknown[];
      if (NAMED_LISTS.has(key)) mergeNamedList(existing, items, at, contributor, owners);
      else
        existing.push(...items.map((item, i) => adopt(item, `${at}[${existing.length + i}]`, '', contributor, owners)));
    } else if (isPlain(existing)) {
      mergeObject(existing, value as Plain, at, contributor, owners);
    } else if (!Object.is(existing, value)) {
      throw conflict(at, first, contributor, existing, value);
    }
  }
}

function itemPath(listPath: string, name: string) {
  return `${listPath}[name=${name}]`;
}

function nameOf(item: unknown, path: string, contributor: string): string {
  if (isPlain(item) && typeof item.name === 'string' && item.name.length > 0) return item.name;
  throw new DomainError(
    'SPEC_INVALID',
    `Contributor "${contributor}" added an item without a name to ${path} (items of ${path.split('.').pop()} are merged by name)`,
    { contributor, path },
  );
}

function mergeNamedList(
  target: unknown[],
  items: unknown[],
  path: string,
  contributor: string,
  owners: Map<string, string>,
) {
  for (const item of items) {
    const name = nameOf(item, path, contributor);
    const at = itemPath(path, name);
    const existing = target.find((t) => (t as Plain).name === name) as Plain | undefined;
    if (existing) mergeObject(existing, item as Plain, at, contributor, owners);
    else target.push(adopt(item, at, '', contributor, owners));
  }
}

/** A deep copy of `value` whose every path is recorded as set by `contributor`. */
function adopt(value: unknown, path: string, key: string, contributor: string, owners: Map<string, string>): unknown {
  owners.set(path, contributor);
  if (Array.isArray(value)) {
    if (NAMED_LISTS.has(key)) {
      const list: unknown[] = [];
      mergeNamedList(list, value, path, contributor, owners);
      return list;
    }
    return value.map((item, i) => adopt(item, `${path}[${i}]`, '', contributor, owners));
  }
  if (isPlain(value)) {
    const copy: Plain = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) copy[k] = adopt(v, join(path, k), k, contributor, owners);
    }
    return copy;
  }
  return value;
}
