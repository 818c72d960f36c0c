/**
 * SecretInjection for the local runtime: the session's credentials become 0600 files in a
 * private 0700 directory of the data dir, `<dataDir>/run/credentials/<session>/`, written when
 * the session starts and removed when it stops. The session's processes get only paths in
 * their environment:
 *
 * - `VOLUNDR_CREDENTIALS_DIR` — the directory; `<name>` is each credential as an env file
 *   (`KEY='value'` lines), the layout the Vault Agent injection gives on Kubernetes;
 * - `VOLUNDR_API_KEYS_ENV` — `api-keys.env`, every api_key credential, ready to `source`;
 * - git: `git-credentials` (git-credential-store lines for git credentials and integration
 *   tokens) read by a credential helper set through `GIT_CONFIG_*`, at every git request: the API
 *   rewrites the file when an integration's OAuth token is refreshed, so a long session keeps
 *   pushing without a restart and git never stores the token anywhere else;
 * - ssh: `ssh/<name>` keys (0600) and `known_hosts`, used through `GIT_SSH_COMMAND`.
 *
 * A manifest per session (names, owner) lets a refresh find the sessions to rewrite, also after
 * an API restart. Values are read through CredentialValues (the secret backend) and never logged.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { CredentialValues, StoredCredential } from '@volundr/core/credentials/credential-values';
import { gitCredentialValue } from '@volundr/core/credentials/credential-values';
import type { CredentialChange, CredentialChanges } from '@volundr/core/credentials/ports/credential-changes';
import { DomainError } from '@volundr/core/errors';
import type { SecretInjection, SecretPodAdditions } from '@volundr/core/sessions/ports/secret-injection';
import type { SessionOwnerRef } from '@volundr/core/sessions/ports/storage';
import { type Logger, silentLogger } from '@volundr/core/shared/ports/logger';
import { z } from 'zod';

export const ZLocalSecretInjectionOptions = z.strictObject({
  dataDir: z
    .string()
    .min(1)
    .refine((p) => p.startsWith('/'), 'an absolute path'),
});
export type LocalSecretInjectionOptions = z.input<typeof ZLocalSecretInjectionOptions>;

export interface LocalSecretInjectionDeps {
  credentialValues: CredentialValues;
  credentialChanges?: CredentialChanges;
  logger?: Logger;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
const HELPER = '!f() { test "$1" = get && exec git credential-store --file="$VOLUNDR_GIT_CREDENTIALS" get; }; f';

interface Manifest {
  sessionId: string;
  ownerId: string;
  tenantId: string;
  names: string[];
}

function safeSegment(value: string, what: string): string {
  const control = [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (!value || value === '.' || value === '..' || /[/\\]/.test(value) || value.length > 200 || control)
    throw new DomainError('BAD_REQUEST', `The ${what} cannot be used as a directory name`);
  return value;
}

async function writeAtomic(file: string, content: string): Promise<void> {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  await rename(temporary, file);
}

/** What one set of credentials becomes: files (relative path → content) and env vars (paths only). */
export function renderCredentialFiles(
  dir: string,
  credentials: readonly StoredCredential[],
): { files: Map<string, string>; env: Record<string, string> } {
  const files = new Map<string, string>();
  const env: Record<string, string> = { VOLUNDR_CREDENTIALS_DIR: dir };
  const apiKeys: string[] = [];
  const gitLines: string[] = [];
  const sshKeys: string[] = [];
  const knownHosts: string[] = [];
  for (const { record, data } of credentials) {
    const envLines = Object.entries(data)
      .filter(([key, value]) => ENV_NAME.test(key) && !/[\r\n]/.test(value))
      .map(([key, value]) => `${key}=${quote(value)}\n`);
    if (record.type !== 'ssh_key') files.set(record.name, envLines.join(''));
    if (record.type === 'api_key') apiKeys.push(...envLines);
    if (record.type === 'git_credential' || (record.type === 'oauth_token' && record.metadata.host)) {
      const value = gitCredentialValue(data);
      const host = record.metadata.host;
      if (value && host) {
        const colon = value.indexOf(':');
        const user = encodeURIComponent(value.slice(0, colon));
        const secret = encodeURIComponent(value.slice(colon + 1));
        gitLines.push(`${record.metadata.protocol === 'http' ? 'http' : 'https'}://${user}:${secret}@${host}\n`);
      }
    }
    if (record.type === 'ssh_key' && data.private_key) {
      const key = `ssh/${record.name}`;
      files.set(key, data.private_key.endsWith('\n') ? data.private_key : `${data.private_key}\n`);
      if (data.public_key) files.set(`${key}.pub`, `${data.public_key.trim()}\n`);
      if (data.known_hosts) knownHosts.push(data.known_hosts.trim());
      sshKeys.push(join(dir, key));
    }
  }
  if (apiKeys.length) {
    files.set('api-keys.env', apiKeys.join(''));
    env.VOLUNDR_API_KEYS_ENV = join(dir, 'api-keys.env');
  }
  if (gitLines.length) {
    files.set('git-credentials', gitLines.join(''));
    // The empty helper drops helpers from the user's git configuration, so none stores the token.
    Object.assign(env, {
      VOLUNDR_GIT_CREDENTIALS: join(dir, 'git-credentials'),
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'credential.helper',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: 'credential.helper',
      GIT_CONFIG_VALUE_1: HELPER,
      GIT_TERMINAL_PROMPT: '0',
    });
  }
  if (sshKeys.length) {
    const options = ['-o IdentitiesOnly=yes', ...sshKeys.map((k) => `-i ${quote(k)}`)];
    if (knownHosts.length) {
      files.set('ssh/known_hosts', `${knownHosts.join('\n')}\n`);
      options.push(`-o UserKnownHostsFile=${quote(join(dir, 'ssh/known_hosts'))}`, '-o StrictHostKeyChecking=yes');
    }
    env.GIT_SSH_COMMAND = `ssh ${options.join(' ')}`;
  }
  return { files, env };
}

export interface LocalSecretInjection extends SecretInjection {
  /** Where a session's files are. */
  directoryOf(sessionId: string): string;
  /** Rewrites the files of every session using this credential (called on a credential change). */
  rewriteFor(change: Pick<CredentialChange, 'ownerId' | 'tenantId' | 'name'>): Promise<number>;
  close(): void;
}

export function createLocalSecretInjection(
  input: LocalSecretInjectionOptions,
  deps: LocalSecretInjectionDeps,
): LocalSecretInjection {
  const { dataDir } = ZLocalSecretInjectionOptions.parse(input);
  const log = (deps.logger ?? silentLogger).child({ component: 'local-secret-injection' });
  const root = join(dataDir, 'run', 'credentials');
  const directoryOf = (sessionId: string) => join(root, safeSegment(sessionId, 'session id'));
  const locks = new Map<string, Promise<unknown>>();

  function locked<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    const previous = locks.get(sessionId) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    locks.set(
      sessionId,
      next.catch(() => {}),
    );
    return next;
  }

  /** Reads the credentials and (re)writes the session's files; a missing one fails a start, not a rewrite. */
  async function render(manifest: Manifest, strict: boolean): Promise<Record<string, string>> {
    const dir = directoryOf(manifest.sessionId);
    const owner = { ownerId: manifest.ownerId, tenantId: manifest.tenantId };
    const stored: StoredCredential[] = [];
    for (const name of manifest.names) {
      const credential = await deps.credentialValues.read(owner, name);
      if (!credential) {
        if (strict)
          throw new DomainError(
            'BAD_REQUEST',
            `credentialNames: you have no credential "${name}" (or its value is missing)`,
            {
              name,
            },
          );
        continue;
      }
      stored.push(credential);
    }
    const { files, env } = renderCredentialFiles(dir, stored);
    await mkdir(root, { recursive: true, mode: 0o700 });
    await mkdir(join(dir, 'ssh'), { recursive: true, mode: 0o700 });
    for (const [path, content] of files) await writeAtomic(join(dir, path), content);
    // Files of credentials no longer in the set go.
    const wanted = new Set([...files.keys(), 'manifest.json', 'ssh']);
    for (const entry of await readdir(dir))
      if (!wanted.has(entry) && !entry.endsWith('.tmp')) await rm(join(dir, entry), { force: true });
    for (const entry of await readdir(join(dir, 'ssh')))
      if (!wanted.has(`ssh/${entry}`)) await rm(join(dir, 'ssh', entry), { force: true });
    await writeAtomic(join(dir, 'manifest.json'), JSON.stringify(manifest));
    return env;
  }

  async function manifests(): Promise<Manifest[]> {
    let entries: string[];
    try {
      entries = await readdir(root);
    } catch {
      return [];
    }
    const out: Manifest[] = [];
    for (const entry of entries) {
      try {
        out.push(JSON.parse(await readFile(join(root, entry, 'manifest.json'), 'utf8')) as Manifest);
      } catch {}
    }
    return out;
  }

  async function rewriteFor(change: Pick<CredentialChange, 'ownerId' | 'tenantId' | 'name'>): Promise<number> {
    let rewritten = 0;
    for (const manifest of await manifests()) {
      if (
        manifest.ownerId !== change.ownerId ||
        manifest.tenantId !== change.tenantId ||
        !manifest.names.includes(change.name)
      )
        continue;
      await locked(manifest.sessionId, async () => {
        // A session stopped meanwhile has no directory any more: do not bring it back.
        try {
          await readFile(join(directoryOf(manifest.sessionId), 'manifest.json'));
        } catch {
          return;
        }
        await render(manifest, false);
        rewritten++;
      });
      log.info({ sessionId: manifest.sessionId, credential: change.name }, 'session credential files rewritten');
    }
    return rewritten;
  }

  const unsubscribe = deps.credentialChanges?.subscribe((change) => rewriteFor(change).then(() => {}));

  return {
    directoryOf,
    rewriteFor,
    close: () => unsubscribe?.(),
    async podAdditions(session: SessionOwnerRef, credentialNames: readonly string[]): Promise<SecretPodAdditions> {
      const manifest: Manifest = {
        sessionId: session.sessionId,
        ownerId: session.ownerId,
        tenantId: session.tenantId,
        names: [...new Set(credentialNames)],
      };
      const env = await locked(session.sessionId, () => render(manifest, true));
      return {
        provider: 'local-files',
        volumes: [],
        volumeMounts: [],
        env: Object.entries(env).map(([name, value]) => ({ name, value })),
        annotations: {},
      };
    },
    cleanupSession: (sessionId) =>
      locked(sessionId, async () => {
        await rm(directoryOf(sessionId), { recursive: true, force: true });
      }),
  };
}

/** `{ use: "@volundr/adapter-git/local-secret-injection#localSecretInjection", dataDir }` */
export const localSecretInjection = defineAdapter({
  port: 'secretInjection',
  options: ZLocalSecretInjectionOptions,
  requires: ['credentialValues', 'credentialChanges', 'logger'],
  create: (options, deps: LocalSecretInjectionDeps): SecretInjection => createLocalSecretInjection(options, deps),
});
