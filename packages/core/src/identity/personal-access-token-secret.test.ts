import { ZPersonalAccessTokenValue } from '@volundr/contracts/identity';
import { describe, expect, it } from 'vitest';
import { displayPrefixOf, hashPersonalAccessToken, newPersonalAccessTokenValue } from './personal-access-token-secret';
import { cryptoRandomTokens } from './ports/random-tokens';

describe('personal access token secrets', () => {
  it('makes vpat_ tokens of 40 base62 characters, all different', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newPersonalAccessTokenValue(cryptoRandomTokens)));
    expect(tokens.size).toBe(200);
    for (const token of tokens) {
      expect(token).toMatch(/^vpat_[0-9A-Za-z]{40}$/);
      expect(ZPersonalAccessTokenValue.safeParse(token).success).toBe(true);
    }
  });

  it('uses the whole base62 alphabet', () => {
    const seen = new Set(cryptoRandomTokens.base62(5000));
    expect(seen.size).toBe(62);
  });

  it('hashes with sha256 (hex) and shows only a short prefix', async () => {
    expect(await hashPersonalAccessToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(displayPrefixOf('vpat_ABCDEFGHIJKLMNOP')).toBe('vpat_ABCDEFG');
  });
});
