#!/usr/bin/env node
// Bundles one Node entry point of a workspace package into a single ESM file.
// Workspace packages (@volundr/*) export TypeScript source and are inlined; every other
// package stays external and must be a declared dependency of the package being built, so
// the bundle resolves it from that package's node_modules at run time.
import { readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { build } from 'esbuild';

const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
  console.error('usage: bundle.mjs <entry.ts> <outfile.mjs>');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8'));
const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
const builtins = new Set(builtinModules);
const missing = new Set();

const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

const externals = {
  name: 'volundr-externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || builtins.has(args.path)) return { path: args.path, external: true };
      const name = packageName(args.path);
      if (name.startsWith('@volundr/')) return undefined; // inline workspace source
      if (!declared.has(name)) missing.add(`${name} (imported by ${args.importer.replace(`${process.cwd()}/`, '')})`);
      return { path: args.path, external: true };
    });
  },
};

// Code splitting keeps lazily imported adapters (Kubernetes client, RabbitMQ...) out of start-up.
const outdir = dirname(outfile);
const entryName = basename(outfile).replace(/\.mjs$/, '');
// Chunk names carry content hashes: drop the previous build's so they do not pile up.
rmSync(resolve(outdir, 'chunks'), { recursive: true, force: true });
await build({
  entryPoints: { [entryName]: entry },
  outdir,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [externals],
  banner: {
    js: "import { createRequire as __volundrCreateRequire } from 'node:module'; const require = __volundrCreateRequire(import.meta.url);",
  },
});
if (missing.size > 0) {
  console.error(
    `${pkg.name}: the bundle imports packages that are not dependencies of ${pkg.name}:\n  ${[...missing].join('\n  ')}`,
  );
  process.exit(1);
}
