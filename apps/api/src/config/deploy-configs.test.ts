// The configuration files shipped in deploy/ are what operators start from: each must pass the
// API's own checks, adapter options included (validated by each adapter's schema, not built).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { builtinModules } from '../composition/builtin-modules';
import { loadAdapter } from '../composition/load-adapter';
import { registerModules } from '../composition/module-table';
import type { AdapterBlock } from './adapter-block';
import { loadConfig } from './load-config';

const root = join(import.meta.dirname, '../../../..');

function* yamlFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* yamlFiles(path);
    else if (/\.ya?ml$/.test(name)) yield path;
  }
}

/** Volundr configuration files: the ones with top-level `mode:` (not Kubernetes objects). */
const configs = [...yamlFiles(join(root, 'deploy'))]
  .filter((file) => !file.includes('/templates/'))
  .filter((file) => {
    const docs = parseAllDocuments(readFileSync(file, 'utf8'));
    if (docs.length !== 1 || docs[0]!.errors.length > 0) return false;
    const doc = docs[0]!.toJS();
    return doc && typeof doc === 'object' && 'mode' in doc && !('apiVersion' in doc);
  });

registerModules(builtinModules);

describe('shipped configuration files', () => {
  it('exist', () => {
    expect(configs.length).toBeGreaterThan(0);
  });

  it.each(configs.map((file) => [relative(root, file), file]))(
    '%s passes the API configuration checks',
    async (_name, file) => {
      // Deployments give DATABASE_URL from a Secret (see docs/deploy-kubernetes.md).
      const { config } = loadConfig({ file, env: { DATABASE_URL: 'postgres://volundr@db/volundr' } });
      for (const [port, block] of Object.entries(config.adapters)) {
        if (!block || Array.isArray(block)) continue;
        await loadAdapter({
          blockName: `adapters.${port}`,
          port,
          block: block as AdapterBlock,
          deps: {},
          validateOnly: true,
          enforced: { mode: config.mode },
        });
      }
    },
  );
});
