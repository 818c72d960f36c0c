import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './config-error';
import { applyOverride, type EnvOverride, readEnvOverrides } from './env-overrides';
import { type Config, ZConfig } from './schema';

export interface LoadConfigOptions {
  /** Path of the YAML file (`--config` / `VOLUNDR_CONFIG`); absent → defaults (local embedded mode). */
  file?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
  /** Values from command-line flags; they win over the file and the environment. */
  flags?: Record<string, unknown>;
}

export interface LoadedConfig {
  config: Config;
  /** Where the configuration came from, for the start-up log. */
  sources: string[];
}

interface YamlSource {
  file: string;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/**
 * Reads the configuration in the one place it is read: YAML file, then `VOLUNDR__…` environment
 * overrides, then flags; validated by zod. Every problem is reported as one line naming the file
 * and line (or the variable), the key path, and what was expected.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const sources: string[] = [];
  let raw: Record<string, unknown> = {};
  let yaml: YamlSource | undefined;

  if (options.file) {
    const file = options.file;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `${file}: cannot read the configuration file (${(error as NodeJS.ErrnoException).code ?? error})`,
      );
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      // The first error is the cause; the ones after it are usually its echoes.
      const first = doc.errors[0]!;
      const pos = lineCounter.linePos(first.pos[0]);
      throw new ConfigError(`${file}:${pos.line}:${pos.col}: YAML syntax error: ${first.message.split('\n')[0]}`);
    }
    const value = doc.toJS() ?? {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError(`${file}:1: expected a mapping of sections (mode, server, database, ...) at the top level`);
    }
    raw = value as Record<string, unknown>;
    yaml = { file, lineOf: (path) => lineOfPath(doc.contents, path, lineCounter) };
    sources.push(file);
  }

  const overrides = readEnvOverrides(env);
  for (const override of overrides) applyOverride(raw, override);
  if (overrides.length > 0) sources.push(`env (${overrides.map((o) => o.variable).join(', ')})`);

  if (env.DATABASE_URL && !overrides.some((o) => o.path[0] === 'database')) {
    raw.database = { driver: 'postgres', url: env.DATABASE_URL };
    sources.push('env DATABASE_URL');
  }
  for (const [path, value] of Object.entries(options.flags ?? {})) {
    if (value === undefined) continue;
    applyOverride(raw, { variable: `--${path}`, path: path.split('.'), value });
  }

  const result = ZConfig.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => describeIssue(issue, yaml, overrides));
    throw new ConfigError(problems.join('\n'), problems);
  }
  const config = result.data;
  config.dataDir = expandHome(config.dataDir);
  if (config.database.driver === 'pglite' && config.database.dataDir) {
    config.database.dataDir = expandHome(config.database.dataDir);
  }
  return { config, sources: sources.length > 0 ? sources : ['defaults (local embedded mode)'] };
}

export function expandHome(path: string): string {
  const expanded = path === '~' ? homedir() : path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
  return isAbsolute(expanded) ? expanded : resolve(expanded);
}

function describeIssue(issue: z.core.$ZodIssue, yaml: YamlSource | undefined, overrides: EnvOverride[]): string {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
  return keys
    .map((key) => {
      const path = key === undefined ? issue.path : [...issue.path, key];
      const dotted = path.map(String).join('.') || '(top level)';
      const fromEnv = overrides.find((o) => path.length >= o.path.length && o.path.every((p, i) => p === path[i]));
      const where = fromEnv
        ? `env ${fromEnv.variable}`
        : yaml
          ? `${yaml.file}:${yaml.lineOf(path) ?? yaml.lineOf(issue.path) ?? '?'}`
          : 'configuration';
      const what = issue.code === 'unrecognized_keys' ? `unknown key "${String(key)}"` : issue.message;
      return `${where}: ${dotted}: ${what}`;
    })
    .join('\n');
}

function lineOfPath(root: unknown, path: readonly PropertyKey[], lines: LineCounter): number | undefined {
  let node = root;
  let line: number | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === segment);
      if (!pair) return line;
      const keyRange = (pair.key as { range?: [number, number, number] } | null)?.range;
      if (keyRange) line = lines.linePos(keyRange[0]).line;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as { range?: [number, number, number] } | undefined;
      if (!item) return line;
      if (item.range) line = lines.linePos(item.range[0]).line;
      node = item;
    } else {
      return line;
    }
  }
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range && path.length > 0 ? (line ?? lines.linePos(range[0]).line) : line;
}
