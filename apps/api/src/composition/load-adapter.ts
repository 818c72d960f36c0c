import { createRequire } from 'node:module';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type AdapterDefinition, isAdapterDefinition } from '@volundr/core/adapters/adapter-definition';
import { z } from 'zod';
import type { AdapterBlock } from '../config/adapter-block';
import { ConfigError } from '../config/config-error';
import { registeredModule } from './module-table';

export interface LoadAdapterOptions {
  /** The config block's name, used in every error (`adapters.authorization`). */
  blockName: string;
  /** The port the block is for; the adapter must declare the same. */
  port: string;
  block: AdapterBlock;
  /** Ports and services already built, injectable by name. */
  deps: Readonly<Record<string, unknown>>;
  /** Where bare specifiers outside the built-in table are resolved from. */
  resolveFrom?: string;
  /**
   * Options the root decides, not the file (e.g. the runtime `mode` for allow-all authorization):
   * they overwrite the block's keys, so a config file cannot claim `mode: local` in production.
   */
  enforced?: Readonly<Record<string, unknown>>;
  /** Check module, export, port and options without constructing (for configuration checks). */
  validateOnly?: boolean;
}

/** Imports, validates and constructs the adapter a config block names. */
export async function loadAdapter<Instance>(options: LoadAdapterOptions): Promise<Instance> {
  const { blockName, block, port } = options;
  const [specifier, exportName] = splitUse(block.use);
  const where = `config block "${blockName}" (use: ${block.use})`;

  const moduleExports = await importModule(specifier, options.resolveFrom ?? process.cwd()).catch((error: unknown) => {
    throw new ConfigError(`${where}: cannot load module "${specifier}": ${firstLine(error)}`);
  });
  if (!(exportName in moduleExports)) {
    const available = Object.keys(moduleExports).filter((k) => isAdapterDefinition(moduleExports[k]));
    throw new ConfigError(
      `${where}: module "${specifier}" has no export "${exportName}"${available.length ? ` (adapters it exports: ${available.join(', ')})` : ''}`,
    );
  }
  const definition = moduleExports[exportName];
  if (!isAdapterDefinition(definition)) {
    throw new ConfigError(`${where}: export "${exportName}" is not an adapter definition (made with defineAdapter)`);
  }
  if (definition.port !== port) {
    throw new ConfigError(`${where}: "${exportName}" is an adapter for port "${definition.port}", not "${port}"`);
  }

  const { use: _use, ...fromFile } = block;
  const rawOptions = { ...fromFile, ...enforcedFor(definition, options.enforced) };
  const parsed = (definition as AdapterDefinition).options.safeParse(rawOptions);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      return keys.map((path) => {
        const what = issue.code === 'unrecognized_keys' ? 'unknown option' : issue.message;
        return `${where}: option "${path.map(String).join('.') || '(options)'}": ${what}`;
      });
    });
    throw new ConfigError(problems.join('\n'), problems);
  }

  if (options.validateOnly) return undefined as Instance;
  const deps: Record<string, unknown> = {};
  for (const name of definition.requires ?? []) {
    if (!(name in options.deps)) {
      throw new ConfigError(`${where}: the adapter needs "${name}", which is not available to the "${port}" port`);
    }
    deps[name] = options.deps[name];
  }
  try {
    return (await definition.create(parsed.data, deps)) as Instance;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${where}: the adapter could not be created: ${firstLine(error)}`);
  }
}

/** Only the enforced keys the adapter's schema knows; others would be "unknown option" errors. */
function enforcedFor(definition: AdapterDefinition, enforced: LoadAdapterOptions['enforced']): Record<string, unknown> {
  if (!enforced) return {};
  const shape = (definition.options as unknown as { shape?: Record<string, unknown> }).shape;
  if (!shape) return {};
  return Object.fromEntries(Object.entries(enforced).filter(([key]) => key in shape));
}

function splitUse(use: string): [string, string] {
  const at = use.lastIndexOf('#');
  return [use.slice(0, at), use.slice(at + 1)];
}

async function importModule(specifier: string, resolveFrom: string): Promise<Record<string, unknown>> {
  const builtin = registeredModule(specifier);
  if (builtin) return builtin();
  if (isAbsolute(specifier)) return import(pathToFileURL(specifier).href);
  if (specifier.startsWith('.'))
    throw new Error('relative specifiers are ambiguous here; use a package name or an absolute path');
  const resolved = createRequire(`${resolveFrom.replace(/\/?$/, '/')}`).resolve(specifier);
  return import(pathToFileURL(resolved).href);
}

const firstLine = (error: unknown) =>
  (error instanceof z.ZodError
    ? error.issues[0]?.message
    : error instanceof Error
      ? error.message
      : String(error)
  )?.split('\n')[0] ?? 'unknown error';
