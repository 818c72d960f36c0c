/** Unguessable random strings (token secrets), as a port so tests can make them predictable. */
export interface RandomTokens {
  /** `length` characters of [0-9A-Za-z] from a cryptographically secure source. */
  base62(length: number): string;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Web Crypto's CSPRNG (global in Node and browsers), without modulo bias. */
export const cryptoRandomTokens: RandomTokens = {
  base62(length) {
    let out = '';
    const bytes = new Uint8Array(length * 2);
    while (out.length < length) {
      globalThis.crypto.getRandomValues(bytes);
      for (const byte of bytes) {
        // 248 = 4 × 62: bytes at or above it would favour the first characters.
        if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
      }
    }
    return out;
  },
};
