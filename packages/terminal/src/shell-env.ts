import { TERMINAL_ENV_PREFIX } from './config';

/**
 * The shell's environment: the server's own (what its supervisor gave the session) without
 * the server's configuration — which may hold the credential — plus the `--env` extras and TERM.
 */
export function shellEnv(
  serverEnv: NodeJS.ProcessEnv,
  extra: Record<string, string>,
  terminalType: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(serverEnv)) {
    if (value === undefined || key.startsWith(TERMINAL_ENV_PREFIX)) continue;
    env[key] = value;
  }
  return { ...env, ...extra, TERM: terminalType };
}
