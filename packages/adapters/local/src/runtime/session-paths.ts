import { isAbsolute, join, relative, resolve } from 'node:path';
import { DomainError } from '@volundr/core/errors';
import { homeDirName } from '../local-home-volumes';

export const hasControlCharacter = (value: string) =>
  [...value].some((char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });

/**
 * Session ids and user ids become directory names under the data dir. A name that could
 * climb out of it (`..`, a `/`, an absolute path) or confuse a shell or a terminal (control
 * characters) is refused before any path is built.
 */
export function safePathSegment(what: string, value: string): string {
  const problem =
    value.length === 0
      ? 'is empty'
      : value.length > 200
        ? 'is longer than 200 characters'
        : value === '.' || value === '..'
          ? `is "${value}"`
          : isAbsolute(value)
            ? 'is an absolute path'
            : /[/\\]/.test(value)
              ? 'contains "/" or "\\"'
              : hasControlCharacter(value)
                ? 'contains control characters'
                : null;
  if (problem) {
    throw new DomainError(
      'BAD_REQUEST',
      `The ${what} ${JSON.stringify(value.slice(0, 80))} ${problem}; the local runtime uses it as a directory name inside its data dir, so it must be one plain path segment.`,
      { field: what },
    );
  }
  return value;
}

/** `child` resolved against `base`, refused when it lands outside `base`. */
export function insideDir(base: string, child: string, what: string): string {
  const target = resolve(base, child);
  const rel = relative(base, target);
  if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) {
    throw new DomainError('BAD_REQUEST', `The ${what} "${child}" points outside ${base}.`, { field: what });
  }
  return target;
}

/** Where everything of one session lives inside the data dir. */
export interface SessionPaths {
  sessionId: string;
  /** `<dataDir>/sessions/<id>`: removed by delete with removeWorkspace. */
  sessionDir: string;
  /** The checkout the agent, the terminal and the IDE work in; kept across stops. */
  workspaceDir: string;
  /** One log file per process, plus `provision.log` (clone and setup output). */
  logsDir: string;
  /** The broker's event log and outbox (kept with the workspace, so the chat history survives a stop). */
  brokerStateDir: string;
  /** code-server's per-session user data and XDG dirs. */
  ideDir: string;
  /** Marker written after the setup scripts succeeded, so a restart does not run them again. */
  setupMarker: string;
  /** `<dataDir>/run/sessions/<id>.json`: pids, ports and credential paths (0600). */
  routeFile: string;
  /** `<dataDir>/run/secrets/<id>/`: the terminal credential and git credentials (0700 dir, 0600 files). */
  secretsDir: string;
  terminalCredentialFile: string;
  gitCredentialFile: string;
}

export function sessionPaths(dataDir: string, sessionId: string): SessionPaths {
  const id = safePathSegment('session id', sessionId);
  const sessionDir = join(dataDir, 'sessions', id);
  const secretsDir = join(dataDir, 'run', 'secrets', id);
  return {
    sessionId: id,
    sessionDir,
    workspaceDir: join(sessionDir, 'workspace'),
    logsDir: join(sessionDir, 'logs'),
    brokerStateDir: join(sessionDir, 'broker'),
    ideDir: join(sessionDir, 'ide'),
    setupMarker: join(sessionDir, 'setup-done.json'),
    routeFile: routeFilePath(dataDir, id),
    secretsDir,
    terminalCredentialFile: join(secretsDir, 'terminal-credential'),
    gitCredentialFile: join(secretsDir, 'git-credential'),
  };
}

export const routesDir = (dataDir: string) => join(dataDir, 'run', 'sessions');

export const routeFilePath = (dataDir: string, sessionId: string) =>
  join(routesDir(dataDir), `${safePathSegment('session id', sessionId)}.json`);

/**
 * The owner's home directory (`HOME` of every process of their sessions): the same directory the
 * identity wiring provisions (`homeDirName`: the id itself when it is a safe file name, else a
 * hash), so an IdP subject such as `auth0|abc` or `../x` still lands inside `<dataDir>/homes/`.
 */
export const homeDir = (dataDir: string, userId: string) => {
  if (userId.length === 0) throw new DomainError('BAD_REQUEST', 'The user id is empty.', { field: 'user id' });
  return join(dataDir, 'homes', homeDirName(userId));
};

/** Local secret values: `<dataDir>/secrets/<name>/<key>` (the layout of a mounted Kubernetes secret). */
export const secretFile = (dataDir: string, name: string, key: string) =>
  join(dataDir, 'secrets', safePathSegment('secret name', name), safePathSegment('secret key', key));
