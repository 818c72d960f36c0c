import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '@volundr/core/errors';
import type { z } from 'zod';

/** Everything the embedded provider keeps lives under `<dataDir>/identity` (mode 0700, files 0600). */
export const identityDir = (dataDir: string) => join(dataDir, 'identity');
export const jwksFile = (dataDir: string) => join(identityDir(dataDir), 'jwks.json');
export const usersFile = (dataDir: string) => join(identityDir(dataDir), 'users.json');
export const secretsFile = (dataDir: string) => join(identityDir(dataDir), 'secrets.json');
export const storeFile = (dataDir: string) => join(identityDir(dataDir), 'oidc-store.json');
/** `{ issuer }` of the last start, so `volundr dev token` can sign for it without being told. */
export const providerFile = (dataDir: string) => join(identityDir(dataDir), 'provider.json');

/** True once the embedded provider has been started on this data dir (its signing keys exist). */
export function hasEmbeddedIdentity(dataDir: string): boolean {
  return existsSync(jwksFile(dataDir));
}

export async function ensureIdentityDir(dataDir: string): Promise<void> {
  await mkdir(identityDir(dataDir), { recursive: true, mode: 0o700 });
}

/** Writes through a temporary file and a rename so a reader never sees half a file. */
export async function writeJsonPrivate(file: string, value: unknown): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}

/** Reads and validates one of our JSON files; `undefined` when it does not exist. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DomainError('CONFIG_INVALID', `${file} is not valid JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new DomainError('CONFIG_INVALID', `${file} is invalid (${where.join('; ')})`);
  }
  return parsed.data;
}
