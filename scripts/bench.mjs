#!/usr/bin/env node
// `pnpm bench [filter]`: runs every `<package>/bench/*.bench.ts` one after another (they measure
// time, so never in parallel), collects their `BENCH {json}` lines and rewrites the figures table
// in docs/performance.md together with the command and the machine it ran on.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2];

function* benchFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* benchFiles(path);
    else if (name.endsWith('.bench.ts') && dirname(path).endsWith('/bench')) yield path;
  }
}

const files = [...benchFiles(join(root, 'apps')), ...benchFiles(join(root, 'packages'))]
  .map((f) => relative(root, f))
  .filter((f) => !filter || f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(filter ? `no benchmark matches "${filter}"` : 'no benchmarks found');
  process.exit(1);
}

const figures = [];
let failed = false;
for (const file of files) {
  console.log(`\n== ${file}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of (result.stdout ?? '').split('\n')) {
    if (line.startsWith('BENCH ')) figures.push({ file, ...JSON.parse(line.slice(6)) });
    else if (line.trim()) console.log(line);
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (result.status !== 0) {
    failed = true;
    console.error(`${file} failed (exit ${result.status})`);
  }
}

const perfPath = join(root, 'docs/performance.md');
const existing = existsSync(perfPath)
  ? readFileSync(perfPath, 'utf8')
  : '# Performance\n\n<!-- bench:start -->\n<!-- bench:end -->\n';
const previous = new Map();
const block = existing.match(/<!-- bench:start -->([\s\S]*?)<!-- bench:end -->/)?.[1] ?? '';
for (const row of block.split('\n').filter((l) => l.startsWith('| `'))) {
  const name = row.match(/^\| `([^`]+)`/)?.[1];
  if (name) previous.set(name, row);
}
const fmt = (n) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : String(Number(n.toPrecision(4))));
const date = new Date().toISOString().slice(0, 10);
for (const f of figures) {
  const baseline = f.baseline ? `${fmt(f.baseline.value)} ${f.unit} (${f.baseline.label})` : '—';
  const target = f.target ? `${f.target}${f.met === undefined ? '' : f.met ? ' ✓' : ' ✗'}` : '—';
  previous.set(
    f.name,
    `| \`${f.name}\` | ${fmt(f.value)} ${f.unit} | ${baseline} | ${target} | \`${f.file}\` | ${date} | ${f.note ?? ''} |`,
  );
}
const table = [
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Command: \`pnpm bench\` (one file: \`pnpm bench <part of its path>\`).`,
  '',
  '| figure | value | baseline (same run) | target | benchmark | measured | note |',
  '|---|---|---|---|---|---|---|',
  ...[...previous.keys()].sort().map((k) => previous.get(k)),
  '',
].join('\n');
const updated = existing.includes('<!-- bench:start -->')
  ? existing.replace(/<!-- bench:start -->[\s\S]*?<!-- bench:end -->/, `<!-- bench:start -->${table}<!-- bench:end -->`)
  : `${existing}\n<!-- bench:start -->${table}<!-- bench:end -->\n`;
writeFileSync(perfPath, updated);
console.log(`\n${figures.length} figure(s) written to docs/performance.md`);
process.exit(failed ? 1 : 0);
