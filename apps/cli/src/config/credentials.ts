import { join } from 'node:path';
import { z } from 'zod';
import { cliEnv } from '../cli-env';
import { readJsonFile, writePrivateJson } from './private-file';

/** What `volundr login` keeps for one server (mode 0600, never printed). */
export const ZStoredLogin = z.strictObject({
  issuer: z.url(),
  clientId: z.string().min(1),
  tokenEndpoint: z.url(),
  revocationEndpoint: z.url().nullable(),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).nullable(),
  /** When the access token expires (ISO time); null when the issuer did not say. */
  expiresAt: z.iso.datetime().nullable(),
  scope: z.string().nullable(),
  obtainedAt: z.iso.datetime(),
});
export type StoredLogin = z.infer<typeof ZStoredLogin>;

const ZCredentialsFile = z.strictObject({
  /** By server base URL (as normalised by ZServerUrl). */
  logins: z.record(z.string(), ZStoredLogin).default({}),
});
type CredentialsFile = z.infer<typeof ZCredentialsFile>;

export const credentialsPath = () => join(cliEnv().configDir, 'credentials.json');

const read = (): CredentialsFile => readJsonFile(credentialsPath(), ZCredentialsFile, () => ({ logins: {} }));

export function readLogin(server: string): StoredLogin | null {
  return read().logins[server] ?? null;
}

export function saveLogin(server: string, login: StoredLogin): void {
  const file = read();
  file.logins[server] = login;
  writePrivateJson(credentialsPath(), file);
}

/** Forgets a server's login; true when there was one. */
export function removeLogin(server: string): boolean {
  const file = read();
  if (!file.logins[server]) return false;
  delete file.logins[server];
  writePrivateJson(credentialsPath(), file);
  return true;
}

export function loggedInServers(): string[] {
  return Object.keys(read().logins);
}
