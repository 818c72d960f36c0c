// `volundr up` to ready on a warm install: the time from spawning the CLI until it prints
// "Volundr is running at", for a new data dir (first start: database created, migrated, keys
// made) and for the same data dir again (the everyday case); and `npm start` run again in this
// installed and built checkout (the bootstrap's checks, turbo's cache, then `volundr up`).
// Baseline: a bare `node` start.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, reportFigure, since } from '@volundr/testkit/bench';
import { freePort } from '@volundr/testkit/free-port';

const root = join(import.meta.dirname, '../../..');
const cli = join(root, 'bin/volundr');

/** Time from spawning `command` until it prints "Volundr is running at"; then stops it (its process group). */
async function timeUntilRunning(command: string, args: string[]): Promise<number> {
  const start = performance.now();
  const child = spawn(command, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => child.once('exit', r));
  const elapsed = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Volundr is running at')) resolve(since(start));
    });
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}: ${err.slice(-500)}`)));
  });
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
  return elapsed;
}

const timeUp = async (dataDir: string) =>
  timeUntilRunning(process.execPath, [cli, 'up', '--port', String(await freePort()), '--data-dir', dataDir]);
const timeNpmStart = async (dataDir: string) =>
  timeUntilRunning('npm', ['start', '--', '--port', String(await freePort()), '--data-dir', dataDir]);

async function timeNode(): Promise<number> {
  const start = performance.now();
  await new Promise((r) => spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }).once('exit', r));
  return since(start);
}

const runs = 5;
const node: number[] = [];
for (let i = 0; i < runs; i++) node.push(await timeNode());
const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < 3; i++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'volundr-bench-up-'));
  cold.push(await timeUp(dataDir));
  for (let j = 0; j < 2; j++) warm.push(await timeUp(dataDir));
  rmSync(dataDir, { recursive: true, force: true });
}
const nodeP50 = percentile(node, 50);
reportFigure({
  name: 'up.ready.new-data-dir.p50',
  value: percentile(cold, 50),
  unit: 'ms',
  baseline: { label: 'bare node start', value: nodeP50 },
});
const warmP50 = percentile(warm, 50);
reportFigure({
  name: 'up.ready.warm.p50',
  value: warmP50,
  unit: 'ms',
  baseline: { label: 'bare node start', value: nodeP50 },
  target: '≤ 5000 ms',
  met: warmP50 <= 5000,
});

const npmDir = mkdtempSync(join(tmpdir(), 'volundr-bench-npm-'));
await timeNpmStart(npmDir); // creates the data dir
const npmStarts: number[] = [];
for (let i = 0; i < 3; i++) npmStarts.push(await timeNpmStart(npmDir));
rmSync(npmDir, { recursive: true, force: true });
const npmP50 = percentile(npmStarts, 50);
reportFigure({
  name: 'npm-start.second-run.p50',
  value: npmP50,
  unit: 'ms',
  baseline: { label: 'volundr up on a warm data dir', value: warmP50 },
  target: '≤ 5000 ms',
  met: npmP50 <= 5000,
  note: 'npm start again in an installed, built checkout with an existing data dir',
});
