import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalHomeVolumes, homeDirName } from './local-home-volumes';

describe('local home volumes', () => {
  it('uses safe user ids as directory names and hashes the rest', () => {
    expect(homeDirName('alice')).toBe('alice');
    expect(homeDirName('alice@example.com')).toMatch(/^u-[0-9a-f]{32}$/);
    for (const risky of ['../etc', 'a/b', 'auth0|123', '.hidden', '', 'x'.repeat(200)]) {
      expect(homeDirName(risky)).toMatch(/^u-[0-9a-f]{32}$/);
    }
  });

  it('creates the directory once, idempotently, inside the data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'volundr-homes-'));
    const homes = createLocalHomeVolumes(dataDir);
    expect(await homes.ensureHomeVolume('bob')).toBe('bob');
    expect(await homes.ensureHomeVolume('bob')).toBe('bob');
    expect(existsSync(join(dataDir, 'homes', 'bob'))).toBe(true);
    const escaped = await homes.ensureHomeVolume('../../outside');
    expect(existsSync(join(dataDir, 'homes', escaped))).toBe(true);
    expect(existsSync(join(dataDir, '..', 'outside'))).toBe(false);
  });
});
