/**
 * Field selectors (`metadata.name=x,status.phase!=Running`). Only the fields a resource declares
 * are accepted, as on a real API server; others answer 400 `field label not supported`.
 */
import { badRequest } from './api-error';
import type { KubeObject } from './kube-object';

export interface FieldSelector {
  matches(object: KubeObject): boolean;
  /** The value required for `metadata.name`, when the selector pins one (a watch on one object). */
  readonly name?: string;
}

interface FieldRequirement {
  path: string[];
  value: string;
  negate: boolean;
}

const readPath = (object: unknown, path: readonly string[]): string => {
  let current: unknown = object;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return '';
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'string' ? current : String(current);
};

export const allFields: FieldSelector = { matches: () => true };

export function parseFieldSelector(text: string | undefined, supported: readonly string[]): FieldSelector {
  if (text === undefined || text.trim() === '') return allFields;
  const requirements: FieldRequirement[] = text.split(',').map((raw) => {
    const part = raw.trim();
    const m = /^([A-Za-z0-9_.\-/]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const [, field, op, value] = m;
    if (!supported.includes(field!)) throw badRequest(`field label not supported: ${field}`);
    return { path: field!.split('.'), value: value!, negate: op === '!=' };
  });
  const pinned = requirements.find((r) => !r.negate && r.path.join('.') === 'metadata.name');
  return {
    ...(pinned ? { name: pinned.value } : {}),
    matches: (object) => requirements.every((r) => (readPath(object, r.path) === r.value) !== r.negate),
  };
}
