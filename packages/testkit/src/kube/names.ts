/**
 * The API server's name and label rules (k8s.io/apimachinery/pkg/util/validation), returning the
 * same messages so a test can assert on them.
 */
import type { StatusCause } from './api-error';
import { isPlainObject } from './kube-object';

export type NameRule = 'subdomain' | 'label' | 'dns1035';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function nameProblems(name: string, rule: NameRule): string[] {
  switch (rule) {
    case 'label':
      if (name.length > 63) return ['must be no more than 63 characters'];
      return DNS1123_LABEL.test(name)
        ? []
        : [
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
          ];
    case 'dns1035':
      if (name.length > 63) return ['must be no more than 63 characters'];
      return DNS1035_LABEL.test(name)
        ? []
        : [
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
          ];
    case 'subdomain':
      if (name.length > 253) return ['must be no more than 253 characters'];
      return DNS1123_SUBDOMAIN.test(name)
        ? []
        : [
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
          ];
  }
}

function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) return ['a qualified name must consist of at most one prefix and a name'];
  const [prefixOrName, maybeName] = parts;
  const name = parts.length === 2 ? maybeName! : prefixOrName!;
  const problems: string[] = [];
  if (parts.length === 2) {
    const prefix = prefixOrName!;
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else problems.push(...nameProblems(prefix, 'subdomain').map((p) => `prefix part ${p}`));
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  else if (!QUALIFIED_NAME.test(name))
    problems.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  return problems;
}

/** Validates `metadata.labels` and `metadata.annotations` keys and label values. */
export function metadataMapProblems(metadata: Record<string, unknown>): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: `metadata.${field}`,
        message: 'Invalid value: must be an object',
      });
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      for (const p of qualifiedNameProblems(key))
        causes.push({
          reason: 'FieldValueInvalid',
          field: `metadata.${field}`,
          message: `Invalid value: "${key}": ${p}`,
        });
      if (typeof value !== 'string') {
        causes.push({
          reason: 'FieldValueInvalid',
          field: `metadata.${field}`,
          message: `Invalid value: ${JSON.stringify(value)}: must be a string`,
        });
        continue;
      }
      if (field === 'labels' && (value.length > 63 || !LABEL_VALUE.test(value)))
        causes.push({
          reason: 'FieldValueInvalid',
          field: 'metadata.labels',
          message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
        });
    }
  }
  return causes;
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character suffix the API server appends to `generateName`. */
export function generatedSuffix(): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  return out;
}
