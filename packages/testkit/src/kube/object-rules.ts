/**
 * The API server's own validation beyond the OpenAPI schema (pkg/apis/core/validation): rules a
 * schema cannot state (a container needs an image, names are unique, mounts name a volume,
 * requests do not exceed limits) and the immutability rules of updates.
 */
import type { StatusCause } from './api-error';
import { jsonEqual } from './json-equal';
import { isPlainObject, type JsonObject, type KubeObject } from './kube-object';
import { nameProblems } from './names';
import { parseQuantity } from './quantity';

const list = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isPlainObject) : []);
const obj = (value: unknown): JsonObject => (isPlainObject(value) ? value : {});
const required = (field: string): StatusCause => ({ reason: 'FieldValueRequired', field, message: 'Required value' });
const invalidValue = (field: string, value: unknown, why: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
});
const QUANTITY_RULE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function resourceRules(field: string, resources: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const requests = obj(resources.requests);
  const limits = obj(resources.limits);
  for (const [kind, map] of [
    ['requests', requests],
    ['limits', limits],
  ] as const)
    for (const [name, value] of Object.entries(map)) {
      const n = parseQuantity(value);
      if (n === undefined) causes.push(invalidValue(`${field}.${kind}[${name}]`, value, QUANTITY_RULE));
      else if (n < 0)
        causes.push(invalidValue(`${field}.${kind}[${name}]`, value, 'must be greater than or equal to 0'));
    }
  for (const [name, value] of Object.entries(requests)) {
    const request = parseQuantity(value);
    const limit = parseQuantity(limits[name]);
    if (request !== undefined && limit !== undefined && request > limit)
      causes.push(
        invalidValue(
          `${field}.requests`,
          String(value),
          `must be less than or equal to ${name} limit of ${String(limits[name])}`,
        ),
      );
  }
  return causes;
}

function podSpecRules(spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const volumes = list(spec.volumes);
  const volumeNames = new Set<string>();
  volumes.forEach((v, i) => {
    const name = typeof v.name === 'string' ? v.name : '';
    if (!name) causes.push(required(`spec.volumes[${i}].name`));
    else if (volumeNames.has(name))
      causes.push({
        reason: 'FieldValueDuplicate',
        field: `spec.volumes[${i}].name`,
        message: `Duplicate value: "${name}"`,
      });
    else {
      for (const p of nameProblems(name, 'label')) causes.push(invalidValue(`spec.volumes[${i}].name`, name, p));
      volumeNames.add(name);
    }
  });
  const containers = list(spec.containers);
  if (Array.isArray(spec.containers) && containers.length === 0) causes.push(required('spec.containers'));
  const seen = new Set<string>();
  for (const [listName, items] of [
    ['initContainers', list(spec.initContainers)],
    ['containers', containers],
  ] as const) {
    items.forEach((c, i) => {
      const at = `spec.${listName}[${i}]`;
      const name = typeof c.name === 'string' ? c.name : '';
      if (name) {
        for (const p of nameProblems(name, 'label')) causes.push(invalidValue(`${at}.name`, name, p));
        if (seen.has(name))
          causes.push({ reason: 'FieldValueDuplicate', field: `${at}.name`, message: `Duplicate value: "${name}"` });
        seen.add(name);
      }
      if (typeof c.image !== 'string' || c.image.trim() === '') causes.push(required(`${at}.image`));
      list(c.ports).forEach((p, j) => {
        const port = p.containerPort;
        if (typeof port === 'number' && (port < 1 || port > 65535))
          causes.push(invalidValue(`${at}.ports[${j}].containerPort`, port, 'must be between 1 and 65535, inclusive'));
      });
      list(c.volumeMounts).forEach((m, j) => {
        if (typeof m.name === 'string' && !volumeNames.has(m.name))
          causes.push({
            reason: 'FieldValueNotFound',
            field: `${at}.volumeMounts[${j}].name`,
            message: `Not found: "${m.name}"`,
          });
      });
      list(c.env).forEach((e, j) => {
        if (typeof e.name === 'string' && e.name === '') causes.push(required(`${at}.env[${j}].name`));
      });
      causes.push(...resourceRules(`${at}.resources`, obj(c.resources)));
    });
  }
  return causes;
}

function serviceRules(spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const ports = list(spec.ports);
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && spec.type !== 'ExternalName' && !headless) causes.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535))
      causes.push(invalidValue(`spec.ports[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
    if (ports.length > 1 && !p.name) causes.push(required(`spec.ports[${i}].name`));
    if (typeof p.name === 'string') {
      if (names.has(p.name))
        causes.push({
          reason: 'FieldValueDuplicate',
          field: `spec.ports[${i}].name`,
          message: `Duplicate value: "${p.name}"`,
        });
      names.add(p.name);
    }
  });
  return causes;
}

function claimRules(spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!Array.isArray(spec.accessModes) || spec.accessModes.length === 0) causes.push(required('spec.accessModes'));
  const requests = obj(obj(spec.resources).requests);
  if (requests.storage === undefined) causes.push(required('spec.resources[storage]'));
  else {
    const n = parseQuantity(requests.storage);
    if (n === undefined) causes.push(invalidValue('spec.resources.requests[storage]', requests.storage, QUANTITY_RULE));
    else if (n <= 0)
      causes.push(invalidValue('spec.resources.requests[storage]', requests.storage, 'must be greater than zero'));
  }
  return causes;
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function dataKeyRules(object: KubeObject, base64Values: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const field of ['data', 'binaryData'] as const) {
    for (const [key, value] of Object.entries(obj(object[field]))) {
      if (!CONFIG_KEY.test(key) || key.length > 253)
        causes.push(
          invalidValue(
            `${field}[${key}]`,
            key,
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
          ),
        );
      if ((base64Values || field === 'binaryData') && (typeof value !== 'string' || !BASE64.test(value)))
        causes.push(invalidValue(`${field}[${key}]`, '<value>', 'illegal base64 data'));
    }
  }
  return causes;
}

/** Rules checked on create and on update, keyed by `apiVersion/kind`. */
export function objectRules(apiVersionKind: string, object: KubeObject): StatusCause[] {
  switch (apiVersionKind) {
    case 'v1/Pod':
      return podSpecRules(obj(object.spec));
    case 'v1/Service':
      return serviceRules(obj(object.spec));
    case 'v1/PersistentVolumeClaim':
      return claimRules(obj(object.spec));
    case 'v1/Secret':
      return dataKeyRules(object, true);
    case 'v1/ConfigMap':
      return dataKeyRules(object, false);
    default:
      return [];
  }
}

const same = jsonEqual;

function podSpecMutable(spec: JsonObject): JsonObject {
  const copy = structuredClone(spec);
  for (const key of ['containers', 'initContainers'] as const) for (const c of list(copy[key])) delete c.image;
  delete copy.activeDeadlineSeconds;
  delete copy.tolerations;
  delete copy.terminationGracePeriodSeconds;
  return copy;
}

/** Immutability rules of updates (old → new), keyed by `apiVersion/kind`. */
export function updateRules(apiVersionKind: string, previous: KubeObject, next: KubeObject): StatusCause[] {
  switch (apiVersionKind) {
    case 'v1/Pod': {
      const before = obj(previous.spec);
      const after = obj(next.spec);
      if (!same(podSpecMutable(before), podSpecMutable(after)))
        return [
          {
            reason: 'FieldValueForbidden',
            field: 'spec',
            message:
              'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
          },
        ];
      const kept = list(before.tolerations).every((t) => list(after.tolerations).some((u) => same(t, u)));
      return kept
        ? []
        : [
            {
              reason: 'FieldValueForbidden',
              field: 'spec.tolerations',
              message: 'Forbidden: existing toleration can not be modified except its tolerationSeconds',
            },
          ];
    }
    case 'v1/PersistentVolumeClaim': {
      const strip = (spec: JsonObject) => {
        const copy = structuredClone(spec);
        delete copy.resources;
        if (!previous.spec || !obj(previous.spec).volumeName) delete copy.volumeName;
        delete copy.volumeAttributesClassName;
        return copy;
      };
      return same(strip(obj(previous.spec)), strip(obj(next.spec)))
        ? []
        : [
            {
              reason: 'FieldValueForbidden',
              field: 'spec',
              message:
                'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
            },
          ];
    }
    case 'v1/Service': {
      const before = obj(previous.spec).clusterIP;
      const after = obj(next.spec).clusterIP;
      return before !== undefined && before !== after
        ? [invalidValue('spec.clusterIP', after ?? '', 'field is immutable')]
        : [];
    }
    case 'v1/Secret':
    case 'v1/ConfigMap': {
      if (previous.immutable !== true) return [];
      const causes: StatusCause[] = [];
      if (next.immutable !== true)
        causes.push({
          reason: 'FieldValueForbidden',
          field: 'immutable',
          message: 'Forbidden: field is immutable when `immutable` is set',
        });
      if (!same(previous.data, next.data) || !same(previous.binaryData, next.binaryData))
        causes.push({
          reason: 'FieldValueForbidden',
          field: 'data',
          message: 'Forbidden: field is immutable when `immutable` is set',
        });
      return causes;
    }
    default:
      return [];
  }
}
