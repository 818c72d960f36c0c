/**
 * Credential values in Vault or OpenBao, KV secrets engine version 2, over its HTTP API:
 * `POST <mount>/data/<path>` to write, `GET` to read, `DELETE <mount>/metadata/<path>` to remove
 * every version. The default path, `volundr/users/{ownerId}/{credential}` under mount `secret`,
 * is where the Vault Agent and CSI injection adapters read from (docs/git-and-credentials.md).
 * Login by token (from the environment) or by Kubernetes auth (the pod's service account JWT),
 * renewed before its lease ends and again once on a 403.
 */
import { readFile } from 'node:fs/promises';
import { ZEnvName } from '@volundr/contracts/profiles';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { SecretLocation, SecretStore } from '@volundr/core/credentials/ports/secret-store';
import { DomainError } from '@volundr/core/errors';
import { z } from 'zod';

export const ZVaultKvStoreOptions = z.strictObject({
  /** `https://vault.example:8200` (http only for a local or test server). */
  address: z.url().transform((u) => u.replace(/\/+$/, '')),
  /** The KV v2 mount. */
  mount: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/)
    .default('secret'),
  /** Path of one credential under the mount; `{tenantId}`, `{ownerId}` and `{credential}` are replaced. */
  pathTemplate: z.string().min(1).max(500).default('volundr/users/{ownerId}/{credential}'),
  /** Vault Enterprise / OpenBao namespace. */
  namespace: z.string().min(1).max(200).optional(),
  auth: z
    .union([
      z.strictObject({ tokenEnv: ZEnvName }),
      z.strictObject({
        kubernetes: z.strictObject({
          role: z.string().min(1).max(200),
          mountPath: z.string().min(1).max(200).default('kubernetes'),
          jwtFile: z.string().min(1).default('/var/run/secrets/kubernetes.io/serviceaccount/token'),
        }),
      }),
    ])
    .default({ tokenEnv: 'VAULT_TOKEN' }),
  timeoutMs: z.int().min(100).max(120_000).default(10_000),
});
export type VaultKvStoreOptions = z.input<typeof ZVaultKvStoreOptions>;

const ZKvRead = z.object({
  data: z.object({ data: z.record(z.string(), z.string()).nullable(), metadata: z.unknown().optional() }),
});
const ZLogin = z.object({
  auth: z.object({ client_token: z.string().min(1), lease_duration: z.number().int().min(0) }),
});

/** `{ownerId}` → value, refusing what could leave its path segment (as the injection adapters do). */
export function expandPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) return whole;
    if (value === '' || value.includes('/') || value.includes('..') || /[\s"'{}\\%?#]/.test(value))
      throw new DomainError('BAD_REQUEST', `"${value}" (${key}) cannot be used in a Vault path`);
    return encodeURIComponent(value);
  });
}

export function createVaultKvStore(
  input: VaultKvStoreOptions,
  deps: { env?: Readonly<Record<string, string | undefined>> } = {},
): SecretStore {
  const options = ZVaultKvStoreOptions.parse(input);
  const env = deps.env ?? process.env;
  let session: { token: string; renewAt: number } | null = null;

  async function request(method: string, path: string, body?: unknown, token?: string): Promise<Response> {
    try {
      return await fetch(`${options.address}/v1/${path}`, {
        method,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
        headers: {
          ...(token ? { 'x-vault-token': token } : {}),
          ...(options.namespace ? { 'x-vault-namespace': options.namespace } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `Vault (${options.address}) could not be reached: ${(error as Error).message}`,
      );
    }
  }

  async function errorOf(response: Response, what: string): Promise<DomainError> {
    let said = '';
    try {
      const body = (await response.json()) as { errors?: unknown };
      if (Array.isArray(body.errors))
        said = body.errors
          .filter((e) => typeof e === 'string')
          .join('; ')
          .slice(0, 300);
    } catch {}
    return new DomainError(
      'DEPENDENCY_UNAVAILABLE',
      `Vault refused to ${what} (${response.status}${said ? `: ${said}` : ''})`,
    );
  }

  async function token(fresh = false): Promise<string> {
    if ('tokenEnv' in options.auth) {
      const value = env[options.auth.tokenEnv];
      if (!value)
        throw new DomainError(
          'DEPENDENCY_UNAVAILABLE',
          `Vault: the token variable ${options.auth.tokenEnv} is not set`,
        );
      return value;
    }
    if (!fresh && session && session.renewAt > Date.now()) return session.token;
    const { role, mountPath, jwtFile } = options.auth.kubernetes;
    const jwt = (await readFile(jwtFile, 'utf8')).trim();
    const response = await request('POST', `auth/${mountPath}/login`, { role, jwt });
    if (!response.ok) throw await errorOf(response, `log in with Kubernetes auth (role ${role})`);
    const login = ZLogin.parse(await response.json());
    // Renew at two thirds of the lease (a zero lease never expires).
    const lease = login.auth.lease_duration;
    session = {
      token: login.auth.client_token,
      renewAt: lease > 0 ? Date.now() + (lease * 1000 * 2) / 3 : Number.POSITIVE_INFINITY,
    };
    return session.token;
  }

  /** One call, logging in again once when Vault says the token is no longer good. */
  async function authed(method: string, path: string, body?: unknown): Promise<Response> {
    let response = await request(method, path, body, await token());
    if (response.status === 403 && !('tokenEnv' in options.auth))
      response = await request(method, path, body, await token(true));
    return response;
  }

  const pathOf = (l: SecretLocation) =>
    expandPath(options.pathTemplate, { ownerId: l.ownerId, tenantId: l.tenantId, credential: l.name });

  return {
    kind: 'vault-kv',
    async put(location, data) {
      const response = await authed('POST', `${options.mount}/data/${pathOf(location)}`, { data });
      if (!response.ok) throw await errorOf(response, `write credential "${location.name}"`);
      await response.body?.cancel();
    },
    async get(location) {
      const response = await authed('GET', `${options.mount}/data/${pathOf(location)}`);
      if (response.status === 404) return null;
      if (!response.ok) throw await errorOf(response, `read credential "${location.name}"`);
      const parsed = ZKvRead.safeParse(await response.json());
      if (!parsed.success)
        throw new DomainError(
          'DEPENDENCY_UNAVAILABLE',
          `Vault answered credential "${location.name}" in an unexpected shape`,
        );
      return parsed.data.data.data;
    },
    async delete(location) {
      const response = await authed('DELETE', `${options.mount}/metadata/${pathOf(location)}`);
      if (!response.ok && response.status !== 404)
        throw await errorOf(response, `delete credential "${location.name}"`);
      await response.body?.cancel();
    },
    async ping() {
      const response = await request('GET', 'sys/health');
      await response.body?.cancel();
      // 200 active, 429 standby, 473 performance standby: all serve reads.
      if (![200, 429, 473].includes(response.status))
        throw new DomainError('DEPENDENCY_UNAVAILABLE', `Vault is not ready (sys/health ${response.status})`);
    },
  };
}

/** `{ use: "@volundr/adapter-git/credential-stores/vault-kv-store#vaultKvStore", address, ... }` */
export const vaultKvStore = defineAdapter({
  port: 'credentialStore',
  options: ZVaultKvStoreOptions,
  create: (options): SecretStore => createVaultKvStore(options),
});
