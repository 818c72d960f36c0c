/**
 * Label selectors in the API server's string syntax (`app=x,tier!=db,env in (a,b),!legacy,track`),
 * parsed once per request and matched per object. Semantics follow k8s.io/apimachinery/pkg/labels:
 * `!=` and `notin` also match objects that lack the key.
 */
import { badRequest } from './api-error';

export type Requirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: ReadonlySet<string> }
  | { key: string; op: 'gt' | 'lt'; value: number };

export interface LabelSelector {
  readonly requirements: readonly Requirement[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** For `key=value` requirements: lets a caller narrow candidates through an index. */
  readonly equalities: ReadonlyMap<string, string>;
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

function checkKey(key: string, source: string) {
  if (!KEY.test(key) || key.length > 317)
    throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${source}"`);
}
function checkValue(value: string, source: string) {
  if (!VALUE.test(value) || value.length > 63)
    throw badRequest(`unable to parse requirement: invalid label value: "${value}" in selector "${source}"`);
}

function parseRequirement(part: string, source: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (set) {
    const [, key, op, list] = set;
    checkKey(key!, source);
    const values = list!
      .split(',')
      .map((v) => v.trim())
      .filter((v, _i, all) => v.length > 0 || all.length === 1);
    for (const v of values) checkValue(v, source);
    return { key: key!, op: op as 'in' | 'notin', values: new Set(values) };
  }
  const cmp = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(.*)$/.exec(part);
  if (cmp) {
    const [, key, op, value] = cmp;
    checkKey(key!, source);
    if (op === '<' || op === '>') {
      const n = Number(value);
      if (!/^-?\d+$/.test(value!) || !Number.isSafeInteger(n))
        throw badRequest(
          `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer in selector "${source}"`,
        );
      return { key: key!, op: op === '<' ? 'lt' : 'gt', value: n };
    }
    checkValue(value!, source);
    return { key: key!, op: op === '!=' ? 'notin' : 'in', values: new Set([value!]) };
  }
  if (part.startsWith('!')) {
    const key = part.slice(1).trim();
    checkKey(key, source);
    return { key, op: 'notexists' };
  }
  checkKey(part, source);
  return { key: part, op: 'exists' };
}

function matchesRequirement(r: Requirement, labels: Readonly<Record<string, string>> | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key]! : undefined;
  switch (r.op) {
    case 'exists':
      return has;
    case 'notexists':
      return !has;
    case 'in':
      return has && r.values.has(value!);
    case 'notin':
      return !has || !r.values.has(value!);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(value!)) return false;
      return r.op === 'gt' ? Number(value) > r.value : Number(value) < r.value;
    }
  }
}

export const everything: LabelSelector = { requirements: [], matches: () => true, equalities: new Map() };

export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (text === undefined || text.trim() === '') return everything;
  const requirements = splitTopLevel(text).map((part) => {
    if (part === '')
      throw badRequest(`unable to parse requirement: found '', expected: identifier in selector "${text}"`);
    return parseRequirement(part, text);
  });
  const equalities = new Map<string, string>();
  for (const r of requirements) if (r.op === 'in' && r.values.size === 1) equalities.set(r.key, [...r.values][0]!);
  return {
    requirements,
    equalities,
    matches: (labels) => requirements.every((r) => matchesRequirement(r, labels)),
  };
}

/** A selector built from a `matchLabels`-style map. */
export function selectorFromLabels(labels: Readonly<Record<string, string>>): LabelSelector {
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return parseLabelSelector(text);
}
