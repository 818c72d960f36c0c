/**
 * The broker's whole configuration, read once from flags and `SKULD_*` environment variables
 * (a flag `--foo-bar` overrides `SKULD_FOO_BAR`) and validated here. Errors name the variable.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveMs = z.coerce.number().int().min(1).max(3_600_000);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
const optionalString = z.string().trim().min(1).optional();

/** Every setting, keyed by the name after the `SKULD_` prefix. */
const ZRawConfig = z
  .object({
    SESSION_ID: z.string().trim().min(1).max(200),
    OWNER_ID: z.string().trim().min(1).max(255),
    TENANT_ID: z.string().trim().min(1).max(255),
    WORKSPACE_DIR: z.string().trim().min(1),
    STATE_DIR: optionalString,
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PORT: port.default(8081),
    API_URL: z.url().optional(),
    REPORT_TOKEN: optionalString,
    OIDC_ISSUER: z.url(),
    OIDC_AUDIENCE: z.string().trim().min(1),
    OIDC_JWKS_URL: z.url().optional(),
    OIDC_CLAIMS_PRESET: z.enum(['generic', 'keycloak', 'entra', 'okta']).default('generic'),
    OIDC_DEFAULT_TENANT: optionalString,
    /** `fake` is the scriptable in-process test transport (tests and benchmarks only). */
    TRANSPORT: z.enum(['claude-sdk', 'claude-subprocess', 'codex', 'fake']),
    MODEL: z.string().trim().min(1).max(200),
    CLAUDE_BIN: z.string().trim().min(1).default('claude'),
    CODEX_BIN: z.string().trim().min(1).default('codex'),
    SYSTEM_PROMPT: optionalString,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    WATCH_WORKSPACE: bool.default(true),
    SUMMARY_TIMEOUT_MS: positiveMs.default(15_000),
    SHUTDOWN_FLUSH_MS: positiveMs.default(10_000),
    REPORT_RETRY_MIN_MS: positiveMs.default(500),
    REPORT_RETRY_MAX_MS: positiveMs.default(30_000),
  })
  .superRefine((raw, ctx) => {
    if (raw.API_URL && !raw.REPORT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['REPORT_TOKEN'], message: 'is required when SKULD_API_URL is set' });
    }
    if (raw.REPORT_RETRY_MAX_MS < raw.REPORT_RETRY_MIN_MS) {
      ctx.addIssue({ code: 'custom', path: ['REPORT_RETRY_MAX_MS'], message: 'must be ≥ SKULD_REPORT_RETRY_MIN_MS' });
    }
  });

export interface SkuldConfig {
  sessionId: string;
  ownerId: string;
  tenantId: string;
  workspaceDir: string;
  stateDir: string;
  host: string;
  port: number;
  api: { url: string; token: string } | null;
  oidc: {
    issuer: string;
    audience: string;
    jwksUrl?: string;
    claimsPreset: 'generic' | 'keycloak' | 'entra' | 'okta';
    defaultTenant?: string;
  };
  transport: 'claude-sdk' | 'claude-subprocess' | 'codex' | 'fake';
  model: string;
  claudeBin: string;
  codexBin: string;
  systemPrompt?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  watchWorkspace: boolean;
  summaryTimeoutMs: number;
  shutdownFlushMs: number;
  reportRetry: { minMs: number; maxMs: number };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const ENV_PREFIX = 'SKULD_';
export const configKeys = Object.keys(ZRawConfig.shape) as (keyof typeof ZRawConfig.shape)[];

/** `--session-id x`, `--session-id=x` → `{ SESSION_ID: 'x' }`. Unknown flags are errors. */
export function parseFlags(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const known = new Set<string>(configKeys);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    if (!match?.[1]) throw new ConfigError(`unexpected argument "${arg}" (flags look like --session-id <value>)`);
    const key = match[1].toUpperCase().replaceAll('-', '_');
    if (!known.has(key)) throw new ConfigError(`unknown flag --${match[1]}`);
    let value = match[2];
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new ConfigError(`flag --${match[1]} needs a value`);
      i++;
    }
    out[key] = value;
  }
  return out;
}

export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[] = []): SkuldConfig {
  const raw: Record<string, string> = {};
  for (const key of configKeys) {
    const value = env[`${ENV_PREFIX}${key}`];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  Object.assign(raw, parseFlags(argv));
  const parsed = ZRawConfig.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const flag = `--${key.toLowerCase().replaceAll('_', '-')}`;
      return `  ${ENV_PREFIX}${key} (${flag}): ${raw[key] === undefined ? 'is required' : issue.message}`;
    });
    throw new ConfigError(`invalid Skuld configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const workspaceDir = resolve(c.WORKSPACE_DIR);
  const stateDir = c.STATE_DIR
    ? isAbsolute(c.STATE_DIR)
      ? c.STATE_DIR
      : resolve(c.STATE_DIR)
    : join(workspaceDir, '.volundr');
  return {
    sessionId: c.SESSION_ID,
    ownerId: c.OWNER_ID,
    tenantId: c.TENANT_ID,
    workspaceDir,
    stateDir,
    host: c.HOST,
    port: c.PORT,
    api: c.API_URL && c.REPORT_TOKEN ? { url: c.API_URL, token: c.REPORT_TOKEN } : null,
    oidc: {
      issuer: c.OIDC_ISSUER,
      audience: c.OIDC_AUDIENCE,
      ...(c.OIDC_JWKS_URL ? { jwksUrl: c.OIDC_JWKS_URL } : {}),
      claimsPreset: c.OIDC_CLAIMS_PRESET,
      ...(c.OIDC_DEFAULT_TENANT ? { defaultTenant: c.OIDC_DEFAULT_TENANT } : {}),
    },
    transport: c.TRANSPORT,
    model: c.MODEL,
    claudeBin: c.CLAUDE_BIN,
    codexBin: c.CODEX_BIN,
    ...(c.SYSTEM_PROMPT ? { systemPrompt: c.SYSTEM_PROMPT } : {}),
    logLevel: c.LOG_LEVEL,
    watchWorkspace: c.WATCH_WORKSPACE,
    summaryTimeoutMs: c.SUMMARY_TIMEOUT_MS,
    shutdownFlushMs: c.SHUTDOWN_FLUSH_MS,
    reportRetry: { minMs: c.REPORT_RETRY_MIN_MS, maxMs: c.REPORT_RETRY_MAX_MS },
  };
}
