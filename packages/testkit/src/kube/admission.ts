/**
 * What happens to an object between the request body and storage: unknown fields are dropped (or
 * refused), defaults applied, then the schema (kubernetes-models), the API server's own rules and,
 * on update, the immutability rules are checked. Any problem is a 422 `Invalid` naming the field.
 */
import { badRequest, invalid, type StatusCause } from './api-error';
import { applyDefaults, type DefaultingContext } from './defaults';
import { isPlainObject, type KubeObject } from './kube-object';
import { schemaValidators } from './model-validation';
import { metadataMapProblems } from './names';
import { objectRules, updateRules } from './object-rules';
import type { ResourceType } from './resource-catalog';
import { pruneUnknownFields } from './unknown-fields';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface AdmissionOptions {
  fieldValidation?: FieldValidation;
  /** Receives `unknown field "…"` warnings (sent as `Warning` headers over HTTP). */
  warn?: (message: string) => void;
  /** Controllers may change what clients may not (a pod's spec.nodeName, a claim's volumeName). */
  privileged?: boolean;
}

function metadataRules(object: KubeObject): StatusCause[] {
  const causes = metadataMapProblems(object.metadata);
  const refs = object.metadata.ownerReferences;
  if (Array.isArray(refs) && refs.filter((r) => isPlainObject(r) && r.controller === true).length > 1)
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.ownerReferences',
      message: 'Invalid value: []: Only one reference can have Controller set to true',
    });
  return causes;
}

/** Mutates and returns `object` (a private copy) or throws the API error. */
export function admit(
  resource: ResourceType,
  object: KubeObject,
  previous: KubeObject | undefined,
  defaulting: DefaultingContext,
  options: AdmissionOptions,
): KubeObject {
  const avk = `${resource.apiVersion}/${resource.kind}`;
  const name = object.metadata.name ?? '';
  if (resource.builtIn && resource.clientModel) {
    const unknown = pruneUnknownFields(object, resource.clientModel);
    if (unknown.length > 0) {
      const mode = options.fieldValidation ?? 'Warn';
      const messages = unknown.map((path) => `unknown field "${path}"`);
      if (mode === 'Strict') throw badRequest(`strict decoding error: ${messages.join(', ')}`);
      if (mode === 'Warn') for (const m of messages) options.warn?.(m);
    }
  }
  applyDefaults(avk, object, defaulting);
  const validator = schemaValidators[avk];
  const causes = [
    ...metadataRules(object),
    ...(validator ? validator(object) : []),
    ...objectRules(avk, object),
    ...(previous && !options.privileged ? updateRules(avk, previous, object) : []),
  ];
  if (causes.length > 0) throw invalid(resource, name, causes);
  return object;
}
