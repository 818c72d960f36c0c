#!/usr/bin/env node
// The JavaScript a browser must download before the first page renders: the entry chunk and
// every chunk it imports statically (lazy routes excluded), gzip-compressed, read from the
// manifest `vite build` writes. Fails when it exceeds the budget.
// Usage: node apps/web/scripts/bundle-size.mjs [--budget-kb 300] [--json]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const args = process.argv.slice(2);
const budgetIndex = args.indexOf('--budget-kb');
const budgetKb = budgetIndex === -1 ? 300 : Number(args[budgetIndex + 1]);
if (!Number.isFinite(budgetKb) || budgetKb <= 0) {
  process.stderr.write('--budget-kb needs a positive number\n');
  process.exit(2);
}

let manifest;
try {
  manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
} catch (error) {
  process.stderr.write(
    `cannot read ${join(dist, '.vite', 'manifest.json')} (${error.message}): run "vite build" in apps/web first\n`,
  );
  process.exit(2);
}

const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length !== 1) {
  process.stderr.write(`expected one entry chunk in the manifest, found ${entries.length}\n`);
  process.exit(2);
}

const initial = new Set();
const css = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const file of chunk.css ?? []) css.add(file);
  for (const next of chunk.imports ?? []) visit(next);
};
visit(entries[0][0]);

const gzipped = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const rows = [...initial].map((file) => ({ file, bytes: gzipped(file) })).sort((a, b) => b.bytes - a.bytes);
const jsBytes = rows.reduce((sum, r) => sum + r.bytes, 0);
const cssBytes = [...css].reduce((sum, file) => sum + gzipped(file), 0);
const kb = (bytes) => (bytes / 1024).toFixed(1);
const ok = jsBytes <= budgetKb * 1024;

if (args.includes('--json')) {
  process.stdout.write(
    `${JSON.stringify({ initialJsGzipBytes: jsBytes, initialCssGzipBytes: cssBytes, budgetKb, ok, chunks: rows })}\n`,
  );
} else {
  for (const r of rows) process.stdout.write(`  ${kb(r.bytes).padStart(7)} KB  ${r.file}\n`);
  process.stdout.write(
    `initial JavaScript: ${kb(jsBytes)} KB gzip in ${rows.length} chunk(s) (budget ${budgetKb} KB) · initial CSS: ${kb(cssBytes)} KB gzip\n`,
  );
}
if (!ok) {
  process.stderr.write(`over budget by ${kb(jsBytes - budgetKb * 1024)} KB\n`);
  process.exit(1);
}
