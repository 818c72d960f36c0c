import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@volundr/testkit/free-port';

/** The Cerbos PDP binary shipped by @cerbos/cerbos-linux-x64 (the package's `main` is the binary). */
export const cerbosBinary = createRequire(import.meta.url).resolve('@cerbos/cerbos-linux-x64');

/** The policies we ship, as deployed. */
export const shippedPolicies = new URL('../../../../../deploy/cerbos/policies', import.meta.url).pathname;

export interface RunningPdp {
  url: string;
  /** Stops the PDP and waits for it to exit. */
  stop(): Promise<void>;
  readonly process: ChildProcess;
}

/**
 * Starts a real Cerbos PDP on a free port serving `policiesDir`, and resolves once its health
 * endpoint says SERVING. Fails with the PDP's own output if it exits or is not ready in time.
 */
export async function startCerbosPdp(policiesDir = shippedPolicies, readyWithinMs = 30_000): Promise<RunningPdp> {
  const dir = await mkdtemp(join(tmpdir(), 'volundr-cerbos-'));
  const port = await freePort();
  const config = join(dir, 'config.yaml');
  await writeFile(
    config,
    [
      'server:',
      `  httpListenAddr: "127.0.0.1:${port}"`,
      // gRPC on a socket in the temp dir: one less port to find free.
      `  grpcListenAddr: "unix:${join(dir, 'grpc.sock')}"`,
      'storage:',
      '  driver: disk',
      '  disk:',
      `    directory: ${JSON.stringify(policiesDir)}`,
      '    watchForChanges: false',
      'telemetry:',
      '  disabled: true',
      '',
    ].join('\n'),
  );
  const child = spawn(cerbosBinary, ['server', `--config=${config}`, '--log-level=warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CERBOS_NO_TELEMETRY: '1' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = once(child, 'exit');

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  let lastError = 'not asked yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`Cerbos PDP exited (${child.exitCode ?? child.signalCode}) before serving:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/_cerbos/health`, { signal: AbortSignal.timeout(1_000) });
      const body = (await response.json()) as { status?: string };
      if (body.status === 'SERVING') return { url, stop, process: child };
      lastError = `health: ${JSON.stringify(body)}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    // Poll the health endpoint (the event we wait for), bounded by the deadline above.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`Cerbos PDP not SERVING within ${readyWithinMs} ms (${lastError}):\n${output}`);
}
