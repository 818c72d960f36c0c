/**
 * One start of a local session after the route file exists: the workspace and home dirs, the
 * git clones, the setup scripts, then every service spawned at once and waited for (ready line,
 * then the readiness path with backoff). The caller records pids and readiness as they come and
 * cleans up when this throws.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { SessionSpec } from '@volundr/contracts/session-spec';
import { DomainError } from '@volundr/core/errors';
import { cloneRepository, credentialFromSecret } from './git-clone';
import { processStartTime, spawnDetached } from './processes';
import type { ServiceLaunch } from './service-launch';
import type { SecretValues } from './session-env';
import type { SessionPaths } from './session-paths';
import { insideDir } from './session-paths';
import { runSetupScripts } from './setup-scripts';
import { fileSize, logTail, NotReadyError, waitForHttpOk, waitForLogLine } from './wait-ready';

export interface ProvisionPlan {
  spec: SessionSpec;
  paths: SessionPaths;
  homeDir: string;
  launches: readonly ServiceLaunch[];
  /** The session's environment for git and setup scripts. */
  env: Record<string, string>;
  secrets: SecretValues;
  timeouts: { cloneMs: number; setupMs: number; readyMs: number };
}

export interface ProvisionHooks {
  signal: AbortSignal;
  /** `coalesce`: an output line that may be merged with the next ones (not a step change). */
  progress(step: string, message: string, coalesce?: boolean): void;
  spawned(name: string, child: ChildProcess, startTime: string | null): Promise<void>;
  ready(name: string): Promise<void>;
}

export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
}

const cancelled = (signal: AbortSignal) => {
  if (signal.aborted) throw new ProvisionError('cancelled');
};

export async function provisionSession(plan: ProvisionPlan, hooks: ProvisionHooks): Promise<void> {
  const { paths, spec } = plan;
  for (const dir of [paths.workspaceDir, paths.logsDir, paths.brokerStateDir, paths.ideDir, plan.homeDir]) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }
  const provisionLog = `${paths.logsDir}/provision.log`;

  // The session's own source goes to the workspace root, so it must be cloned first.
  const repos = [...(spec.git?.repos ?? [])].sort((a, b) => (a.path === '.' ? -1 : b.path === '.' ? 1 : 0));
  for (const repo of repos) {
    cancelled(hooks.signal);
    const target = repo.path === '.' ? paths.workspaceDir : insideDir(paths.workspaceDir, repo.path, 'repository path');
    let credential = null;
    if (repo.credential) {
      const value = await plan.secrets(repo.credential);
      if (value === null) {
        throw new DomainError(
          'REPO_UNREACHABLE',
          `Could not clone ${repo.repoUrl}: its credential (secret "${repo.credential.name}" key "${repo.credential.key}") does not exist on this machine.`,
        );
      }
      credential = credentialFromSecret(value);
    }
    hooks.progress('clone', `cloning ${repo.repoUrl} (${repo.branch}) into ${repo.path}`);
    const outcome = await cloneRepository({
      repoUrl: repo.repoUrl,
      cloneUrl: repo.cloneUrl,
      branch: repo.branch,
      ...(repo.baseBranch ? { baseBranch: repo.baseBranch } : {}),
      targetDir: target,
      credential,
      credentialFile: paths.gitCredentialFile,
      env: plan.env,
      logFile: provisionLog,
      onLine: (line) => hooks.progress('clone', line, true),
      signal: hooks.signal,
      timeoutMs: plan.timeouts.cloneMs,
    });
    hooks.progress(
      'clone',
      outcome === 'kept' ? `kept the existing checkout of ${repo.repoUrl}` : `cloned ${repo.repoUrl}`,
    );
  }

  cancelled(hooks.signal);
  const setup = await runSetupScripts({
    scripts: spec.agent.setupScripts,
    workspaceDir: paths.workspaceDir,
    env: plan.env,
    logFile: provisionLog,
    markerFile: paths.setupMarker,
    onProgress: (step, message) => hooks.progress(step, message, !message.startsWith('running setup script')),
    signal: hooks.signal,
    timeoutMs: plan.timeouts.setupMs,
  });
  if (setup === 'skipped') hooks.progress('setup', 'setup scripts already ran in this workspace');

  cancelled(hooks.signal);
  hooks.progress('services', `starting ${plan.launches.map((l) => l.name).join(', ')}`);
  await Promise.all(plan.launches.map((launch) => startService(launch, plan, hooks)));
}

async function startService(launch: ServiceLaunch, plan: ProvisionPlan, hooks: ProvisionHooks): Promise<void> {
  cancelled(hooks.signal);
  const offset = await fileSize(launch.logFile);
  const child = spawnDetached(launch);
  let spawnError: string | null = null;
  child.once('error', (error) => {
    spawnError = error.message;
  });
  await hooks.spawned(launch.name, child, child.pid ? processStartTime(child.pid) : null);
  const deadline = Date.now() + plan.timeouts.readyMs;
  const context = {
    deadline,
    signal: hooks.signal,
    exited: () =>
      spawnError ??
      (child.exitCode !== null || child.signalCode !== null
        ? `exited (${child.exitCode !== null ? `code ${child.exitCode}` : child.signalCode})`
        : null),
  };
  try {
    await waitForLogLine(launch.logFile, offset, launch.readyLine, launch.name, context);
    await waitForHttpOk(`http://127.0.0.1:${launch.port}${launch.readinessPath}`, launch.name, context);
  } catch (error) {
    if (!(error instanceof NotReadyError)) throw error;
    if (hooks.signal.aborted) throw new ProvisionError('cancelled');
    const tail = await logTail(launch.logFile, offset, 400);
    throw new ProvisionError(
      `${launch.name} did not become ready (${error.message.replace(`${launch.name}: `, '')}); see ${launch.logFile}${tail ? `: …${tail.slice(-300)}` : ''}`,
    );
  }
  await hooks.ready(launch.name);
}
