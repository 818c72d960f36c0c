/**
 * Stored credentials (API keys, git tokens, SSH keys): the API only ever returns their metadata.
 * Values go into the secret backend (Vault/OpenBao KV v2, Kubernetes Secrets, or the local
 * encrypted file) and reach a session as injected files, never through a response, a log or
 * the database.
 */
import { z } from 'zod';
import { ZEnvName } from './profiles';

/** What a credential is for; decides how it is injected into a session (docs/git-and-credentials.md). */
export const ZCredentialType = z.enum(['api_key', 'git_credential', 'ssh_key', 'oauth_token', 'generic']);
export type CredentialType = z.infer<typeof ZCredentialType>;

/**
 * A credential's name: also its file name inside a session and its path segment in the secret
 * backend (`volundr/users/<owner>/<name>`), so it is a DNS-style label.
 */
export const ZCredentialNameLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(
    /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/,
    'a credential name: lower-case letters, digits, "." and "-", starting and ending with a letter or digit (at most 63)',
  )
  .refine((n) => !n.includes('..'), 'must not contain ".."');

/** Names starting with this belong to integrations (their tokens); people cannot create them. */
export const INTEGRATION_CREDENTIAL_PREFIX = 'integration-';

export const ZCredentialKey = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'a key: letters, digits, "_", "." and "-", not starting with a digit');

const hasControl = (v: string, allowNewlines: boolean) =>
  [...v].some((c) => {
    const code = c.charCodeAt(0);
    if (allowNewlines && (c === '\n' || c === '\r' || c === '\t')) return false;
    return code < 0x20 || code === 0x7f;
  });

/** A secret value: multi-line allowed (keys, certificates), no other control characters. */
export const ZCredentialValue = z
  .string()
  .min(1, 'a value must not be empty')
  .max(65_536)
  .refine((v) => !hasControl(v, true), 'must not contain control characters');

export const ZCredentialMetadata = z
  .record(
    z
      .string()
      .min(1)
      .max(63)
      .regex(/^[a-z][a-z0-9_-]*$/, 'a metadata key: lower-case letters, digits, "_" and "-"'),
    z
      .string()
      .max(500)
      .refine((v) => !hasControl(v, false), 'must not contain control characters'),
  )
  .refine((m) => Object.keys(m).length <= 20, 'at most 20 metadata entries');
export type CredentialMetadata = z.infer<typeof ZCredentialMetadata>;

const oneLine = (v: string) => !/[\r\n]/.test(v);

/** Per-type rules for `data`: which keys exist, so injection knows what to write. */
function checkData(
  type: CredentialType,
  data: Record<string, string>,
  metadata: CredentialMetadata,
  ctx: z.RefinementCtx,
) {
  const keys = Object.keys(data);
  const issue = (message: string, path: (string | number)[] = ['data']) =>
    ctx.addIssue({ code: 'custom', path, message });
  switch (type) {
    case 'api_key':
      // Written as `KEY=value` lines of an env file.
      for (const key of keys) {
        if (!ZEnvName.safeParse(key).success)
          issue("an api_key credential's keys are environment variable names", ['data', key]);
        else if (!oneLine(data[key]!)) issue('an api_key value must be one line', ['data', key]);
      }
      break;
    case 'git_credential': {
      const allowed = new Set(['token', 'password', 'username']);
      for (const key of keys)
        if (!allowed.has(key))
          issue(`a git_credential has the keys token or password, and username (not "${key}")`, ['data', key]);
      if ((data.token === undefined) === (data.password === undefined))
        issue('a git_credential has exactly one of token or password');
      for (const key of keys) if (!oneLine(data[key]!)) issue('git credential values must be one line', ['data', key]);
      if (data.username !== undefined && /[:@/\s]/.test(data.username))
        issue('username must not contain ":", "@", "/" or spaces', ['data', 'username']);
      if (metadata.host === undefined)
        issue('a git_credential needs metadata.host: the git host it is for (e.g. github.com)', ['metadata', 'host']);
      if (metadata.protocol !== undefined && metadata.protocol !== 'https' && metadata.protocol !== 'http')
        issue('metadata.protocol is https (the default) or http', ['metadata', 'protocol']);
      if (metadata.host !== undefined && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/.test(metadata.host))
        issue('metadata.host is a host name (with an optional :port)', ['metadata', 'host']);
      break;
    }
    case 'ssh_key': {
      const allowed = new Set(['private_key', 'public_key', 'known_hosts']);
      for (const key of keys)
        if (!allowed.has(key))
          issue(`an ssh_key has the keys private_key, public_key and known_hosts (not "${key}")`, ['data', key]);
      if (!data.private_key) issue('an ssh_key needs private_key');
      else if (!/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(data.private_key.trim()))
        issue('private_key is not a PEM/OpenSSH private key', ['data', 'private_key']);
      break;
    }
    case 'oauth_token':
      if (!data.access_token) issue('an oauth_token needs access_token');
      for (const key of keys) if (!oneLine(data[key]!)) issue('oauth token values must be one line', ['data', key]);
      break;
    case 'generic':
      break;
  }
}

export const ZCreateCredentialInput = z
  .strictObject({
    name: ZCredentialNameLabel.refine(
      (n) => !n.startsWith(INTEGRATION_CREDENTIAL_PREFIX),
      `names starting with "${INTEGRATION_CREDENTIAL_PREFIX}" belong to integrations`,
    ),
    type: ZCredentialType,
    /** Key → secret value. Stored in the secret backend only; never returned. */
    data: z
      .record(ZCredentialKey, ZCredentialValue)
      .refine((d) => Object.keys(d).length >= 1 && Object.keys(d).length <= 50, 'between 1 and 50 keys'),
    metadata: ZCredentialMetadata.default({}),
  })
  .superRefine((input, ctx) => checkData(input.type, input.data, input.metadata, ctx));
export type CreateCredentialInput = z.input<typeof ZCreateCredentialInput>;

/** What the API tells about a credential: never a value. */
export const ZCredential = z.strictObject({
  id: z.string(),
  name: z.string(),
  type: ZCredentialType,
  keys: z.array(z.string()),
  metadata: z.record(z.string(), z.string()),
  ownerId: z.string(),
  /** `user` for credentials people create, `integration` for an integration's token. */
  managedBy: z.enum(['user', 'integration']),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Credential = z.infer<typeof ZCredential>;

export const ZListCredentialsInput = z.strictObject({ type: ZCredentialType.optional() }).default({});
export const ZCredentialNameInput = z.strictObject({ name: ZCredentialNameLabel });
export const ZDeletedCredential = z.strictObject({ name: z.string(), deleted: z.literal(true) });
