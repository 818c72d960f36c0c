#!/usr/bin/env node
// `npm start` and `npm test` on a fresh machine that has only Node 20 and npm: install the
// pinned pnpm and the dependencies on first run, build, then start the platform or run every
// test suite. Each step is skipped when its inputs have not changed, so a second run is quick.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '10.34.9';
const [command = 'start', ...rest] = process.argv.slice(2);

function log(message) {
  process.stderr.write(`\x1b[2m[volundr]\x1b[0m ${message}\n`);
}
function fail(message) {
  process.stderr.write(`\x1b[31m[volundr] ${message}\x1b[0m\n`);
  process.exit(1);
}
function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) fail(`${cmd} could not run: ${result.error.message}`);
  return result.status ?? 1;
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19))
    fail(`Node ${process.versions.node} is too old: Volundr needs Node 20.19 or newer.`);
}

function ensurePnpm() {
  const local = join(root, '.tools/pnpm/node_modules/pnpm/bin/pnpm.cjs');
  const version = (path) => {
    const r = spawnSync(process.execPath, [path, '--version'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : null;
  };
  if (existsSync(local) && version(local) === PNPM_VERSION) return local;
  log(`installing pnpm ${PNPM_VERSION} into .tools/pnpm (first run only)`);
  mkdirSync(join(root, '.tools/pnpm'), { recursive: true });
  const status = run('npm', [
    'install',
    '--prefix',
    '.tools/pnpm',
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    `pnpm@${PNPM_VERSION}`,
  ]);
  if (status !== 0 || version(local) !== PNPM_VERSION)
    fail(`could not install pnpm ${PNPM_VERSION} from the npm registry`);
  return local;
}

function manifestsHash() {
  const hash = createHash('sha256');
  const files = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml'];
  for (const group of ['apps', 'packages', 'packages/adapters']) {
    for (const name of readdirSync(join(root, group))) {
      if (existsSync(join(root, group, name, 'package.json'))) files.push(`${group}/${name}/package.json`);
    }
  }
  files.push('e2e/package.json');
  for (const file of files.sort()) {
    if (existsSync(join(root, file))) hash.update(file).update(readFileSync(join(root, file)));
  }
  return hash.update(process.version).digest('hex');
}

function ensureDependencies(pnpm) {
  const stamp = join(root, 'node_modules/.volundr-install');
  const want = manifestsHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  log('installing dependencies (pnpm install --frozen-lockfile)');
  const status = run(process.execPath, [pnpm, 'install', '--frozen-lockfile', '--prefer-offline']);
  if (status !== 0) fail('pnpm install failed (see above)');
  writeFileSync(stamp, want);
}

function build(pnpm) {
  log('building (turbo; unchanged packages come from its cache)');
  const status = run(process.execPath, [
    pnpm,
    'exec',
    'turbo',
    'run',
    'build',
    '--output-logs=errors-only',
    '--log-prefix=none',
  ]);
  if (status !== 0) fail('the build failed (see above)');
}

checkNode();
const pnpm = ensurePnpm();
ensureDependencies(pnpm);
process.env.TURBO_TELEMETRY_DISABLED = '1';
process.env.PATH = `${join(root, '.tools/pnpm/node_modules/.bin')}:${join(root, 'node_modules/.bin')}:${process.env.PATH}`;

if (command === 'start') {
  build(pnpm);
  const status = run(process.execPath, [join(root, 'apps/cli/dist/volundr.mjs'), 'up', ...rest]);
  process.exit(status);
} else if (command === 'test') {
  build(pnpm);
  const status = run(process.execPath, [join(root, 'scripts/run-tests.mjs'), ...rest]);
  process.exit(status);
} else if (command === 'build') {
  // dependencies and build only (used by `./bin/volundr` on a fresh checkout)
  build(pnpm);
} else if (command === 'install') {
  // dependencies only
} else {
  fail(`unknown command "${command}" (expected start, test or install)`);
}
