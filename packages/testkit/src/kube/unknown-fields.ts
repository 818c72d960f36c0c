/**
 * Unknown-field detection for built-in kinds, using the field tables @kubernetes/client-node
 * generates from the API's OpenAPI spec. A real API server drops unknown fields with a warning
 * (`fieldValidation=Warn`, the default), drops them silently (`Ignore`) or refuses the request
 * (`Strict`, what kubectl sends). Custom resources are not checked: their CRD schemas are not
 * available here.
 */
import * as clientNode from '@kubernetes/client-node';
import { isPlainObject, type JsonObject } from './kube-object';

interface Attribute {
  baseName: string;
  type: string;
}
type ModelClass = { getAttributeTypeMap?: () => Attribute[] };

const models = clientNode as unknown as Record<string, ModelClass | undefined>;
const fieldTables = new Map<string, Map<string, string> | null>();

function fieldsOf(type: string): Map<string, string> | null {
  let table = fieldTables.get(type);
  if (table === undefined) {
    const attributes = models[type]?.getAttributeTypeMap?.();
    table = attributes ? new Map(attributes.map((a) => [a.baseName, a.type])) : null;
    fieldTables.set(type, table);
  }
  return table;
}

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/** Removes fields the type does not know from `value` (in place) and reports their paths. */
function prune(value: unknown, type: string, path: string, found: string[]): void {
  const array = ARRAY.exec(type);
  if (array) {
    if (Array.isArray(value)) for (const [i, item] of value.entries()) prune(item, array[1]!, `${path}[${i}]`, found);
    return;
  }
  const map = MAP.exec(type);
  if (map) {
    if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) prune(v, map[1]!, `${path}[${k}]`, found);
    return;
  }
  const fields = fieldsOf(type);
  if (!fields || !isPlainObject(value)) return;
  for (const key of Object.keys(value)) {
    const fieldType = fields.get(key);
    const at = path ? `${path}.${key}` : key;
    if (fieldType === undefined) {
      found.push(at);
      delete (value as JsonObject)[key];
    } else prune(value[key], fieldType, at, found);
  }
}

/** Paths of unknown fields (`spec.containers[0].imag`), removed from `object`. */
export function pruneUnknownFields(object: JsonObject, clientModel: string): string[] {
  const found: string[] = [];
  prune(object, clientModel, '', found);
  return found;
}
