import { DomainError } from '@volundr/core/errors';

/** A credential name as a file name / annotation suffix: lower-case [a-z0-9.-], ≤ 63 characters. */
export function credentialFileName(credential: string): string {
  const name = credential
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 63);
  if (!name) throw new DomainError('BAD_REQUEST', `Credential name "${credential}" cannot be a file name.`);
  return name;
}

/** Replaces `{ownerId}`, `{tenantId}`, `{sessionId}`, `{credential}`; refuses values that could leave their path segment. */
export function expandTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) return whole;
    if (value.includes('/') || value.includes('..') || /[\s"'{}]/.test(value))
      throw new DomainError('BAD_REQUEST', `"${value}" (${key}) cannot be used in a secret path.`);
    return value;
  });
}
