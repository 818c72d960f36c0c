#!/usr/bin/env node
// Enforces the dependency rule (contracts <- core <- adapters/db <- apps) and exact versions.
// Fails with one line per violation: file, import and the rule it breaks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// ARCH_ROOT lets the test run the check on a fixture tree.
const root = process.env.ARCH_ROOT ?? new URL('..', import.meta.url).pathname;
const violations = [];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|tsx|mts|mjs)$/.test(name)) yield path;
  }
}

const importRe =
  /(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const importsOf = (text) => [...text.matchAll(importRe)].map((m) => m[1] ?? m[2] ?? m[3]);
const isTest = (path) => /\.(test|integration\.test|bench)\.tsx?$/.test(path) || path.includes('/test/');
// Test files of the pure packages may also import the test runner and the property-testing library.
const testTooling = (spec, path) => isTest(path) && (spec === 'vitest' || spec === 'fast-check');

const rules = [
  {
    dir: 'packages/contracts/src',
    allow: (spec, path) =>
      spec.startsWith('.') || spec === 'zod' || spec.startsWith('@volundr/contracts/') || testTooling(spec, path),
    why: 'packages/contracts may import only zod',
  },
  {
    dir: 'packages/core/src',
    allow: (spec, path) =>
      spec.startsWith('.') ||
      spec === 'zod' ||
      spec.startsWith('@volundr/contracts/') ||
      spec.startsWith('@volundr/core/') ||
      testTooling(spec, path),
    why: 'packages/core imports only @volundr/contracts and zod (no I/O, no infrastructure); put it behind a port',
  },
];
for (const pkg of [
  'packages/db',
  ...readdirSync(join(root, 'packages/adapters')).map((a) => `packages/adapters/${a}`),
]) {
  rules.push({
    dir: `${pkg}/src`,
    allow: (spec) =>
      !spec.startsWith('@volundr/api') && !spec.startsWith('@volundr/cli') && !spec.startsWith('@volundr/web'),
    why: `${pkg} must not import apps`,
  });
}
rules.push({
  dir: '.',
  allow: (spec, path) =>
    !spec.startsWith('@volundr/testkit') ||
    isTest(path) ||
    /^(packages\/testkit|e2e|scripts)\//.test(path) ||
    path.includes('/bench/'),
  why: '@volundr/testkit is test-only',
});

for (const rule of rules) {
  const dir = join(root, rule.dir);
  let list;
  try {
    list = [...files(dir)];
  } catch {
    continue;
  }
  for (const file of list) {
    const rel = relative(root, file);
    const text = readFileSync(file, 'utf8');
    for (const spec of importsOf(text)) {
      if (spec && !rule.allow(spec, rel)) violations.push(`${rel}: imports "${spec}" — ${rule.why}`);
    }
  }
}

// Exact dependency versions: ranges pick up releases that need Node 22 and break here.
const manifests = ['package.json'];
for (const group of ['apps', 'packages', 'packages/adapters']) {
  for (const name of readdirSync(join(root, group))) {
    try {
      statSync(join(root, group, name, 'package.json'));
      manifests.push(`${group}/${name}/package.json`);
    } catch {}
  }
}
manifests.push('e2e/package.json');
for (const manifest of manifests) {
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(join(root, manifest), 'utf8'));
  } catch {
    continue;
  }
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    for (const [name, version] of Object.entries(pkg[field] ?? {})) {
      if (version.startsWith('workspace:')) continue;
      if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version))
        violations.push(`${manifest}: ${field}.${name} is "${version}" — pin an exact version`);
    }
  }
}

if (violations.length > 0) {
  console.error(`Architecture check failed (${violations.length}):\n${violations.map((v) => `  ${v}`).join('\n')}`);
  process.exit(1);
}
console.log('architecture check: ok');
