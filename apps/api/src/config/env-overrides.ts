import { parse as parseYamlScalar } from 'yaml';
import { ConfigError } from './config-error';

export const ENV_PREFIX = 'VOLUNDR__';

export interface EnvOverride {
  variable: string;
  path: string[];
  value: unknown;
}

const camel = (segment: string) => segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * `VOLUNDR__SERVER__PUBLIC_URL=https://x` → path `server.publicUrl`, value `"https://x"`.
 * Values are read as YAML scalars, so `8081` is a number and `true` a boolean; quote to force a string.
 */
export function readEnvOverrides(env: Readonly<Record<string, string | undefined>>): EnvOverride[] {
  const overrides: EnvOverride[] = [];
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const segments = variable.slice(ENV_PREFIX.length).split('__');
    if (segments.some((s) => !/^[A-Z0-9_]+$/i.test(s) || s.length === 0)) {
      throw new ConfigError(
        `env ${variable}: expected VOLUNDR__SECTION__KEY with letters, digits and single underscores`,
      );
    }
    let value: unknown;
    try {
      value = parseYamlScalar(raw);
    } catch {
      value = raw;
    }
    overrides.push({ variable, path: segments.map(camel), value: value ?? raw });
  }
  return overrides.sort((a, b) => a.variable.localeCompare(b.variable));
}

export function applyOverride(target: Record<string, unknown>, override: EnvOverride): void {
  let node: Record<string, unknown> = target;
  for (const [index, key] of override.path.entries()) {
    if (index === override.path.length - 1) {
      node[key] = override.value;
      return;
    }
    const next = node[key];
    if (next === undefined || next === null) {
      node[key] = {};
    } else if (typeof next !== 'object' || Array.isArray(next)) {
      throw new ConfigError(
        `env ${override.variable}: ${override.path.slice(0, index + 1).join('.')} is not a section, cannot set ${override.path.join('.')}`,
      );
    }
    node = node[key] as Record<string, unknown>;
  }
}
