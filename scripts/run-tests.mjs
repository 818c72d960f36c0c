#!/usr/bin/env node
// Every test suite, in the order that fails fastest: static checks (in parallel), unit,
// integration, e2e. Prints a summary with durations; exits non-zero if any suite failed.
// Under CI=true a service a suite needs (PostgreSQL, RabbitMQ) being unreachable is a failure.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = new Set(process.argv.slice(2).filter((a) => !a.startsWith('-')));
const results = [];

const log = (m) => process.stderr.write(`\x1b[2m[volundr test]\x1b[0m ${m}\n`);

function step(name, cmd, args, { env = {}, buffered = false } = {}) {
  if (only.size > 0 && !only.has(name)) return Promise.resolve();
  const started = Date.now();
  log(`${name}: ${cmd} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1', ...env },
      stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    if (buffered) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('close', (code) => {
      if (buffered && output) process.stdout.write(output);
      results.push({ name, ok: code === 0, seconds: (Date.now() - started) / 1000 });
      resolve();
    });
  });
}

function reachable(host, port, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function preflight() {
  const problems = [];
  if (!(await reachable('127.0.0.1', 5432))) {
    problems.push('PostgreSQL is not reachable at 127.0.0.1:5432 (start it: pg_ctlcluster 15 main start).');
  }
  if (problems.length > 0) {
    for (const p of problems) log(`\x1b[31m${p}\x1b[0m`);
    log('the suites that need these services will fail.');
  }
}

// Debian packages the suites need: Chromium (terminal page test, e2e), and what code-server's
// install compiles against or runs (ripgrep, the GSSAPI headers) for the IDE tests.
const SYSTEM_PACKAGES = [
  { name: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  { name: 'ripgrep', present: () => onPath('rg') },
  { name: 'libkrb5-dev', present: () => existsSync('/usr/include/gssapi/gssapi.h') },
];

function onPath(command) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));
}

function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0) return Promise.resolve(true);
  log(`the tests need Debian packages that are missing; installing: apt-get install -y ${missing.join(' ')}`);
  const isRoot = process.getuid?.() === 0;
  return new Promise((resolve) => {
    const apt = spawn(
      isRoot ? 'apt-get' : 'sudo',
      [...(isRoot ? [] : ['-n', 'apt-get']), 'install', '-y', ...missing],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
    );
    let errors = '';
    apt.stderr.on('data', (d) => (errors += d));
    apt.on('error', (e) => (errors += e.message));
    apt.on('close', () => {
      const still = SYSTEM_PACKAGES.filter((p) => !p.present()).map((p) => p.name);
      if (still.length === 0) return resolve(true);
      log(
        `\x1b[31mcould not install ${still.join(', ')}: run \`sudo apt-get install -y ${still.join(' ')}\` (Debian/Ubuntu) and run npm test again.\x1b[0m\n${errors.trim()}`,
      );
      resolve(false);
    });
  });
}

const started = Date.now();
await preflight();
// apt runs while the static checks and unit tests do; integration and e2e wait for it.
const systemPackages = only.size === 0 || only.has('integration') || only.has('e2e') ? ensureSystemPackages() : null;
await Promise.all([
  step('lint', 'pnpm', ['lint'], { buffered: true }),
  step('types', 'pnpm', ['typecheck'], { buffered: true }),
]);
await step('unit', 'pnpm', ['exec', 'vitest', 'run', '--project', 'unit']);
const packagesReady = await systemPackages;
await step('integration', 'pnpm', ['exec', 'vitest', 'run', '--project', 'integration']);
if (existsSync(join(root, 'e2e/playwright.config.ts')) && (only.size === 0 || only.has('e2e'))) {
  if (packagesReady) await step('e2e', 'pnpm', ['--filter', '@volundr/e2e', 'test']);
  else results.push({ name: 'e2e', ok: false, seconds: 0 });
}

const width = Math.max(...results.map((r) => r.name.length), 5);
process.stdout.write(`${'\nsuite'.padEnd(width + 3)}result   seconds\n`);
for (const r of results) {
  process.stdout.write(
    `${r.name.padEnd(width + 2)}${r.ok ? '\x1b[32mpass\x1b[0m' : '\x1b[31mFAIL\x1b[0m'}     ${r.seconds.toFixed(1)}\n`,
  );
}
process.stdout.write(`total ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
