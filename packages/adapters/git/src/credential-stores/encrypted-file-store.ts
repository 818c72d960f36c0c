/**
 * The local mode's secret backend: every credential value in one file, encrypted with
 * AES-256-GCM under a random 256-bit key kept next to it (both 0600 in a 0700 directory of the
 * data dir). Each write re-encrypts the whole file with a fresh IV and replaces it atomically
 * (temporary file, fsync, rename), so a crash leaves the old or the new file, never half of one.
 * A wrong key or a changed byte fails authentication: nothing is returned then.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { SecretLocation, SecretStore } from '@volundr/core/credentials/ports/secret-store';
import { DomainError } from '@volundr/core/errors';
import { z } from 'zod';

export const ZEncryptedFileStoreOptions = z.strictObject({
  /** The data dir (absolute); the store lives in `<dataDir>/credentials/`. */
  dataDir: z
    .string()
    .min(1)
    .refine((p) => p.startsWith('/'), 'an absolute path'),
});
export type EncryptedFileStoreOptions = z.input<typeof ZEncryptedFileStoreOptions>;

const AAD = Buffer.from('volundr-credentials-v1');
const ZEnvelope = z.strictObject({
  v: z.literal(1),
  alg: z.literal('aes-256-gcm'),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
const ZContent = z.strictObject({
  entries: z.array(
    z.strictObject({
      tenantId: z.string(),
      ownerId: z.string(),
      name: z.string(),
      data: z.record(z.string(), z.string()),
    }),
  ),
});
type Content = z.infer<typeof ZContent>;

export interface EncryptedFileStore extends SecretStore {
  readonly file: string;
  readonly keyFile: string;
}

export function createEncryptedFileStore(input: EncryptedFileStoreOptions): EncryptedFileStore {
  const { dataDir } = ZEncryptedFileStoreOptions.parse(input);
  const dir = join(dataDir, 'credentials');
  const file = join(dir, 'store.enc');
  const keyFile = join(dir, 'store.key');
  let key: Buffer | null = null;
  let cache: { mtimeMs: number; size: number; content: Content } | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const failure = (why: string) =>
    new DomainError('DEPENDENCY_UNAVAILABLE', `The local credential store (${file}) ${why}`);

  async function ensureKey(): Promise<Buffer> {
    if (key) return key;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    try {
      // `wx`: two processes starting at once cannot both create (and overwrite) a key.
      const handle = await open(keyFile, 'wx', 0o600);
      try {
        await handle.writeFile(randomBytes(32).toString('base64'));
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const mode = (await stat(keyFile)).mode & 0o777;
    if (mode & 0o077) throw failure(`key ${keyFile} is readable by others (mode ${mode.toString(8)}); chmod 600 it`);
    const decoded = Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64');
    if (decoded.length !== 32) throw failure(`key ${keyFile} is not a 256-bit key`);
    key = decoded;
    return key;
  }

  async function load(): Promise<Content> {
    const secret = await ensureKey();
    let info: { mtimeMs: number; size: number };
    try {
      info = await stat(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [] };
      throw error;
    }
    if (cache && cache.mtimeMs === info.mtimeMs && cache.size === info.size) return cache.content;
    let envelope: z.infer<typeof ZEnvelope>;
    try {
      envelope = ZEnvelope.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch {
      throw failure('is not a credential store file');
    }
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(envelope.iv, 'base64'));
      decipher.setAAD(AAD);
      decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
      plain = Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]);
    } catch {
      throw failure(`cannot be decrypted with ${keyFile} (wrong key, or the file was changed)`);
    }
    const content = ZContent.parse(JSON.parse(plain.toString('utf8')));
    plain.fill(0);
    cache = { mtimeMs: info.mtimeMs, size: info.size, content };
    return content;
  }

  async function save(content: Content): Promise<void> {
    const secret = await ensureKey();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', secret, iv);
    cipher.setAAD(AAD);
    const plain = Buffer.from(JSON.stringify(content), 'utf8');
    const data = Buffer.concat([cipher.update(plain), cipher.final()]);
    plain.fill(0);
    const envelope = JSON.stringify({
      v: 1,
      alg: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(envelope);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    const info = await stat(file);
    cache = { mtimeMs: info.mtimeMs, size: info.size, content };
  }

  /** Writes run one at a time (read, change, write back). */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  }

  const same = (e: Content['entries'][number], l: SecretLocation) =>
    e.ownerId === l.ownerId && e.tenantId === l.tenantId && e.name === l.name;

  return {
    kind: 'encrypted-file',
    file,
    keyFile,
    put: (location, data) =>
      serial(async () => {
        const content = await load();
        const entries = content.entries.filter((e) => !same(e, location));
        entries.push({ ...location, data: { ...data } });
        await save({ entries });
      }),
    async get(location) {
      await queue;
      const found = (await load()).entries.find((e) => same(e, location));
      return found ? { ...found.data } : null;
    },
    delete: (location) =>
      serial(async () => {
        const content = await load();
        const entries = content.entries.filter((e) => !same(e, location));
        if (entries.length !== content.entries.length) await save({ entries });
      }),
    async ping() {
      await load();
    },
  };
}

/** `{ use: "@volundr/adapter-git/credential-stores/encrypted-file-store#encryptedFileStore", dataDir }` */
export const encryptedFileStore = defineAdapter({
  port: 'credentialStore',
  options: ZEncryptedFileStoreOptions,
  create: (options): SecretStore => createEncryptedFileStore(options),
});
