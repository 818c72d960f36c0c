/**
 * How each role of a SessionSpec container becomes a local process: the Skuld broker, the
 * terminal server and code-server, with their ready lines and readiness paths.
 */
import { join } from 'node:path';
import type { Container } from '@volundr/contracts/session-spec';
import { SKULD_NODE_FLAGS } from '@volundr/skuld/node-flags';
import { z } from 'zod';
import { codeServerCommand } from '../ide/code-server-command';

export interface ServiceLaunch {
  name: string;
  role: 'broker' | 'terminal' | 'ide';
  port: number;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  logFile: string;
  /** The stdout line that says the service listens. */
  readyLine: (line: string) => boolean;
  /** GET this on the port until it answers 2xx. */
  readinessPath: string;
}

const ZListeningLine = z.object({ event: z.literal('listening'), port: z.number().int() });

/** `{"event":"listening","port":N,…}` for exactly this port (Skuld and volundr-terminal print it). */
export const listeningLine = (port: number) => (line: string) => {
  if (!line.includes('"listening"')) return false;
  try {
    const parsed = ZListeningLine.safeParse(JSON.parse(line));
    return parsed.success && parsed.data.port === port;
  } catch {
    return false;
  }
};

export interface BrokerSettings {
  entry: string;
  transport: 'claude-sdk' | 'claude-subprocess' | 'codex' | 'fake';
  claudeBin: string;
  codexBin: string;
  oidc: { issuer: string; audience: string; jwksUrl?: string; claimsPreset?: string; defaultTenant?: string };
  logLevel: string;
  /** Where the broker reports and its session-scoped credential (given at start, never persisted). */
  reporting?: { apiUrl: string; token: string };
}

export interface LaunchContext {
  sessionId: string;
  ownerId: string;
  tenantId: string;
  model: string;
  systemPrompt?: string;
  workspaceDir: string;
  logsDir: string;
  /** Machine env + passthrough + the spec's pod and container env, per container name. */
  envFor(container: Container): Record<string, string>;
  nodePath: string;
}

export function brokerLaunch(
  container: Container,
  port: number,
  ctx: LaunchContext,
  settings: BrokerSettings,
  stateDir: string,
): ServiceLaunch {
  const env = ctx.envFor(container);
  // The broker reports to the API only when the platform gave it a credential for this start.
  const apiUrl = settings.reporting?.apiUrl;
  const reportToken = settings.reporting?.token;
  const skuld: Record<string, string> = {
    SKULD_SESSION_ID: ctx.sessionId,
    SKULD_OWNER_ID: ctx.ownerId,
    SKULD_TENANT_ID: ctx.tenantId,
    SKULD_WORKSPACE_DIR: ctx.workspaceDir,
    SKULD_STATE_DIR: stateDir,
    SKULD_HOST: '127.0.0.1',
    SKULD_PORT: String(port),
    SKULD_OIDC_ISSUER: settings.oidc.issuer,
    SKULD_OIDC_AUDIENCE: settings.oidc.audience,
    SKULD_TRANSPORT: settings.transport,
    SKULD_MODEL: ctx.model,
    SKULD_CLAUDE_BIN: settings.claudeBin,
    SKULD_CODEX_BIN: settings.codexBin,
    SKULD_LOG_LEVEL: settings.logLevel,
    ...(settings.oidc.jwksUrl ? { SKULD_OIDC_JWKS_URL: settings.oidc.jwksUrl } : {}),
    ...(settings.oidc.claimsPreset ? { SKULD_OIDC_CLAIMS_PRESET: settings.oidc.claimsPreset } : {}),
    ...(settings.oidc.defaultTenant ? { SKULD_OIDC_DEFAULT_TENANT: settings.oidc.defaultTenant } : {}),
    ...(ctx.systemPrompt ? { SKULD_SYSTEM_PROMPT: ctx.systemPrompt } : {}),
    ...(apiUrl && reportToken ? { SKULD_API_URL: apiUrl, SKULD_REPORT_TOKEN: reportToken } : {}),
  };
  // Broker settings are ours: a SKULD_* value from the spec must not redirect identity checks.
  const base = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('SKULD_')));
  return {
    name: container.name,
    role: 'broker',
    port,
    command: ctx.nodePath,
    args: [...SKULD_NODE_FLAGS, settings.entry],
    env: { ...base, ...skuld },
    cwd: ctx.workspaceDir,
    logFile: join(ctx.logsDir, `${container.name}.log`),
    readyLine: listeningLine(port),
    readinessPath: container.readiness?.path ?? '/readyz',
  };
}

export function terminalLaunch(
  container: Container,
  port: number,
  ctx: LaunchContext,
  settings: { entry: string; shell: string; restricted: boolean; credential: string; logLevel: string },
): ServiceLaunch {
  const env = Object.fromEntries(
    Object.entries(ctx.envFor(container)).filter(([name]) => !name.startsWith('VOLUNDR_TERMINAL_')),
  );
  // A restricted terminal is bash's restricted mode (no cd, no PATH changes, no redirections).
  const shellCommand = settings.restricted ? ['/bin/bash', '--restricted'] : [settings.shell];
  return {
    name: container.name,
    role: 'terminal',
    port,
    command: ctx.nodePath,
    args: [settings.entry, '--', ...shellCommand],
    env: {
      ...env,
      VOLUNDR_TERMINAL_PORT: String(port),
      VOLUNDR_TERMINAL_INTERFACE: '127.0.0.1',
      VOLUNDR_TERMINAL_BASE_PATH: `/s/${ctx.sessionId}/terminal`,
      // In the environment, never in argv (visible in `ps`); the server drops it from the shell's env.
      VOLUNDR_TERMINAL_CREDENTIAL: settings.credential,
      VOLUNDR_TERMINAL_CWD: ctx.workspaceDir,
      VOLUNDR_TERMINAL_LOG_LEVEL: settings.logLevel,
    },
    cwd: ctx.workspaceDir,
    logFile: join(ctx.logsDir, `${container.name}.log`),
    readyLine: listeningLine(port),
    // The terminal answers /healthz outside its base path.
    readinessPath: '/healthz',
  };
}

export function ideLaunch(
  container: Container,
  port: number,
  ctx: LaunchContext,
  settings: { binPath: string; ideDir: string; extensionsDir: string },
): ServiceLaunch {
  const command = codeServerCommand({
    binPath: settings.binPath,
    port,
    workspaceDir: ctx.workspaceDir,
    userDataDir: join(settings.ideDir, 'user-data'),
    extensionsDir: settings.extensionsDir,
    xdgDir: join(settings.ideDir, 'xdg'),
    env: ctx.envFor(container),
    nodePath: ctx.nodePath,
  });
  return {
    name: container.name,
    role: 'ide',
    port,
    command: command.command,
    args: command.args,
    env: command.env,
    cwd: ctx.workspaceDir,
    logFile: join(ctx.logsDir, `${container.name}.log`),
    readyLine: (line) => line.includes('HTTP server listening on'),
    readinessPath: command.healthPath,
  };
}
