import { readFile } from 'node:fs/promises';
import type { EnvVar } from '@volundr/contracts/session-spec';
import { DomainError } from '@volundr/core/errors';
import { z } from 'zod';
import { secretFile } from './session-paths';

/** A variable name, or a prefix pattern ending in `*` (`CLAUDE_*`). */
export const ZEnvPattern = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*\*?$/, 'a variable name, or a prefix ending in "*" such as CLAUDE_*');

/** The model-API settings of the user's shell that reach a local session's CLI. */
export const defaultEnvPassthrough = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'CLAUDE_*',
  'CODEX_*',
];

/**
 * Machine settings every session process gets from the API's environment (where programs are,
 * locale, proxies and CA bundles). Nothing else leaks in: not the API's own configuration.
 */
const machineEnv = [
  'PATH',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'LC_*',
  'TZ',
  'TMPDIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
];

const matches = (name: string, pattern: string) =>
  pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;

/** The variables of `from` whose names match one of `patterns`. */
export function pickEnv(from: NodeJS.ProcessEnv, patterns: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value !== undefined && patterns.some((p) => matches(name, p))) out[name] = value;
  }
  return out;
}

export const machineEnvironment = (from: NodeJS.ProcessEnv) => pickEnv(from, machineEnv);

/** Reads a secret's value by reference; null when there is no such secret. */
export type SecretValues = (ref: { name: string; key: string }) => Promise<string | null>;

/** Local secrets: one file per key, `<dataDir>/secrets/<name>/<key>` (a mounted Kubernetes secret's layout). */
export function fileSecretValues(dataDir: string): SecretValues {
  return async ({ name, key }) => {
    try {
      return await readFile(secretFile(dataDir, name, key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
}

/** Container paths (the spec's mount paths) → where they are on this machine. */
export type PathMap = readonly { mountPath: string; hostPath: string }[];

/** `/volundr/workspace/src` → `<dataDir>/sessions/<id>/workspace/src`, for values naming a mounted path. */
export function toHostPath(value: string, paths: PathMap): string {
  for (const { mountPath, hostPath } of paths) {
    if (value === mountPath) return hostPath;
    if (value.startsWith(`${mountPath}/`)) return hostPath + value.slice(mountPath.length);
  }
  return value;
}

/**
 * The spec's env entries as values: plain values with mount paths translated, secret
 * references read through `secrets`. A missing secret is an error naming it (never its value).
 */
export async function resolveEnv(
  vars: readonly EnvVar[],
  secrets: SecretValues,
  paths: PathMap,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const v of vars) {
    if (v.value !== undefined) {
      out[v.name] = toHostPath(v.value, paths);
    } else if (v.secretRef) {
      const value = await secrets(v.secretRef);
      if (value === null) {
        throw new DomainError(
          'SPEC_INVALID',
          `The variable ${v.name} refers to secret "${v.secretRef.name}" key "${v.secretRef.key}", which does not exist on this machine.`,
          { variable: v.name },
        );
      }
      out[v.name] = value.replace(/\r?\n$/, '');
    }
  }
  return out;
}
