import type { Adapter, AdapterPayload } from 'oidc-provider';
import { z } from 'zod';
import { readJsonFile, storeFile, writeJsonPrivate } from './identity-files';

const ZEntry = z.object({ payload: z.looseObject({}), expiresAt: z.number().nullable() });
const ZStoreFile = z.object({ version: z.literal(1), models: z.record(z.string(), z.record(z.string(), ZEntry)) });
type Entry = { payload: AdapterPayload; expiresAt: number | null };

/** Models whose records belong to a grant and go when it is revoked. */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

/**
 * oidc-provider storage in one JSON file under the data dir, so refresh tokens, grants and
 * sessions survive a restart of the API in local mode. Reads come from memory; every change is
 * written (temporary file + rename) before the provider is told it is stored. Lookups by uid,
 * user code or grant scan: local mode holds a handful of records, not millions.
 */
export class FileStore {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly models: Map<string, Map<string, Entry>>,
  ) {}

  static async open(dataDir: string): Promise<FileStore> {
    const file = storeFile(dataDir);
    const stored = await readJsonFile(file, ZStoreFile);
    const models = new Map<string, Map<string, Entry>>();
    for (const [model, entries] of Object.entries(stored?.models ?? {})) {
      models.set(model, new Map(Object.entries(entries) as Array<[string, Entry]>));
    }
    return new FileStore(file, models);
  }

  /** The factory oidc-provider's `adapter` option takes (a plain function, not async). */
  readonly adapterFactory = (model: string): Adapter => new FileAdapter(model, this);

  entries(model: string): Map<string, Entry> {
    let entries = this.models.get(model);
    if (!entries) {
      entries = new Map();
      this.models.set(model, entries);
    }
    return entries;
  }

  live(entry: Entry | undefined): AdapterPayload | undefined {
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) return undefined;
    return entry.payload;
  }

  /** Queues a full write of the current state; resolves once it is on disk. */
  persist(): Promise<void> {
    const run = this.writing.then(() => {
      const now = Date.now();
      const models: Record<string, Record<string, Entry>> = {};
      for (const [model, entries] of this.models) {
        for (const [id, entry] of entries) {
          if (entry.expiresAt !== null && entry.expiresAt <= now) entries.delete(id);
        }
        models[model] = Object.fromEntries(entries);
      }
      return writeJsonPrivate(this.file, { version: 1, models });
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** Waits for writes in flight (on shutdown). */
  flush(): Promise<void> {
    return this.writing;
  }
}

class FileAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly store: FileStore,
  ) {}

  private get entries() {
    return this.store.entries(this.model);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const expiresAt = typeof expiresIn === 'number' && expiresIn > 0 ? Date.now() + expiresIn * 1000 : null;
    this.entries.set(id, { payload, expiresAt });
    await this.store.persist();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.store.live(this.entries.get(id));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    for (const entry of this.entries.values()) {
      if (entry.payload.userCode === userCode) return this.store.live(entry);
    }
    return undefined;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    for (const entry of this.entries.values()) {
      if (entry.payload.uid === uid) return this.store.live(entry);
    }
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.payload = { ...entry.payload, consumed: Math.floor(Date.now() / 1000) };
    await this.store.persist();
  }

  async destroy(id: string): Promise<void> {
    if (this.entries.delete(id)) await this.store.persist();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    let changed = false;
    for (const model of GRANTABLE) {
      for (const [id, entry] of this.store.entries(model)) {
        if (entry.payload.grantId === grantId) {
          this.store.entries(model).delete(id);
          changed = true;
        }
      }
    }
    if (changed) await this.store.persist();
  }
}
