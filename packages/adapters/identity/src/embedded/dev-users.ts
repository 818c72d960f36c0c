import { type Role, ZRole } from '@volundr/contracts/principal';
import { DomainError } from '@volundr/core/errors';
import { z } from 'zod';
import { ensureIdentityDir, readJsonFile, usersFile, writeJsonPrivate } from './identity-files';
import { hashPassword, randomPassword, verifyPassword } from './password-hash';

/** Usernames double as the token `sub`, so they are kept to a safe, stable alphabet. */
export const ZUsername = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'username must be 1-64 of a-z, 0-9, ".", "_", "-" and start with a letter or digit',
  );

const ZDevUser = z.object({
  username: ZUsername,
  passwordHash: z.string().startsWith('scrypt$'),
  email: z.string().max(320).nullable(),
  name: z.string().max(255).nullable(),
  tenant: z.string().min(1).max(255),
  roles: z.array(ZRole),
  createdAt: z.string(),
});
export type DevUser = z.infer<typeof ZDevUser>;
/** What may be shown about a user (never the hash). */
export type DevUserProfile = Omit<DevUser, 'passwordHash'>;

const ZUsersFile = z.object({ version: z.literal(1), users: z.array(ZDevUser) });

export const ZNewDevUser = z.strictObject({
  username: ZUsername,
  password: z.string().min(8, 'password must be at least 8 characters').max(1024).optional(),
  email: z.email().max(320).optional(),
  name: z.string().min(1).max(255).optional(),
  tenant: z.string().min(1).max(255).default('default'),
  roles: z.array(ZRole).min(1).default(['volundr:developer']),
});
export type NewDevUser = z.input<typeof ZNewDevUser>;

async function readUsers(dataDir: string): Promise<DevUser[]> {
  return (await readJsonFile(usersFile(dataDir), ZUsersFile))?.users ?? [];
}

async function writeUsers(dataDir: string, users: DevUser[]): Promise<void> {
  await ensureIdentityDir(dataDir);
  await writeJsonPrivate(usersFile(dataDir), { version: 1, users });
}

const profile = ({ passwordHash: _hash, ...rest }: DevUser): DevUserProfile => rest;

/** Read on every login so users added from the CLI apply without a restart. */
export async function findDevUser(dataDir: string, username: string): Promise<DevUserProfile | undefined> {
  const user = (await readUsers(dataDir)).find((candidate) => candidate.username === username);
  return user && profile(user);
}

export async function listDevUsers(dataDir: string): Promise<DevUserProfile[]> {
  return (await readUsers(dataDir)).map(profile);
}

/** The user when the password matches; `undefined` for an unknown user or a wrong password alike. */
export async function checkDevUserPassword(
  dataDir: string,
  username: string,
  password: string,
): Promise<DevUserProfile | undefined> {
  const user = (await readUsers(dataDir)).find((candidate) => candidate.username === username);
  // Hash anyway for an unknown user so timing does not tell which usernames exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return ok && user ? profile(user) : undefined;
}
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * Adds a user; the password is generated when not given and returned either way (it is only
 * ever stored hashed, so this is the one chance to show it).
 */
export async function addDevUser(
  dataDir: string,
  input: NewDevUser,
): Promise<{ user: DevUserProfile; password: string }> {
  const parsed = ZNewDevUser.parse(input);
  const users = await readUsers(dataDir);
  if (users.some((user) => user.username === parsed.username)) {
    throw new DomainError('BAD_REQUEST', `dev user "${parsed.username}" already exists`);
  }
  const password = parsed.password ?? randomPassword();
  const user: DevUser = {
    username: parsed.username,
    passwordHash: await hashPassword(password),
    email: parsed.email ?? `${parsed.username}@localhost`,
    name: parsed.name ?? parsed.username,
    tenant: parsed.tenant,
    roles: parsed.roles,
    createdAt: new Date().toISOString(),
  };
  await writeUsers(dataDir, [...users, user]);
  return { user: profile(user), password };
}

async function updateUser(dataDir: string, username: string, change: (user: DevUser) => Promise<DevUser> | DevUser) {
  const users = await readUsers(dataDir);
  const index = users.findIndex((user) => user.username === username);
  const existing = users[index];
  if (!existing) throw new DomainError('NOT_FOUND', `dev user "${username}" does not exist`);
  users[index] = await change(existing);
  await writeUsers(dataDir, users);
  return profile(users[index]);
}

export async function setPassword(dataDir: string, username: string, password: string): Promise<void> {
  const checked = z.string().min(8, 'password must be at least 8 characters').max(1024).parse(password);
  await updateUser(dataDir, username, async (user) => ({ ...user, passwordHash: await hashPassword(checked) }));
}

export async function setRoles(dataDir: string, username: string, roles: Role[]): Promise<DevUserProfile> {
  const checked = z.array(ZRole).min(1).parse(roles);
  return updateUser(dataDir, username, (user) => ({ ...user, roles: checked }));
}

/**
 * On the first start there are no users: create `admin` with a random password and return it
 * so the caller can print it once. Later starts return `null`.
 */
export async function ensureAdminUser(dataDir: string): Promise<string | null> {
  if ((await readUsers(dataDir)).length > 0) return null;
  const { password } = await addDevUser(dataDir, {
    username: 'admin',
    roles: ['volundr:admin'],
    name: 'Administrator',
  });
  return password;
}
