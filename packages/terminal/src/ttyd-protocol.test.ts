import { describe, expect, it } from 'vitest';
import { basicAuthMatches } from './basic-auth';
import { credentialToken, frame, parseFrame, parseJsonPayload, ZTtydHandshake, ZTtydResize } from './ttyd-protocol';

describe('ttyd framing', () => {
  it('prefixes the command byte and splits it off again', () => {
    const data = frame('0', Buffer.from([0xe2, 0x9c, 0x93]));
    expect([...data]).toEqual([0x30, 0xe2, 0x9c, 0x93]);
    const parsed = parseFrame(data);
    expect(parsed?.command).toBe('0');
    expect(parsed?.payload.toString('utf8')).toBe('✓');
    expect(parseFrame(Buffer.alloc(0))).toBeNull();
  });

  it('validates the handshake and resize payloads with readable errors', () => {
    expect(parseJsonPayload(ZTtydHandshake, '{"AuthToken":"","columns":80,"rows":24}')).toEqual({
      ok: true,
      value: { AuthToken: '', columns: 80, rows: 24 },
    });
    expect(parseJsonPayload(ZTtydHandshake, '{"columns":')).toEqual({ ok: false, error: 'not valid JSON' });
    const bad = parseJsonPayload(ZTtydResize, '{"columns":0,"rows":"x"}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/columns: .*rows: /);
  });

  it('uses base64(user:pass) as token and Basic credential', () => {
    const token = credentialToken('alice:s3cret');
    expect(token).toBe('YWxpY2U6czNjcmV0');
    expect(basicAuthMatches(`Basic ${token}`, token)).toBe(true);
    expect(basicAuthMatches(`basic ${token}`, token)).toBe(true);
    expect(basicAuthMatches(`Bearer ${token}`, token)).toBe(false);
    expect(basicAuthMatches('Basic YWxpY2U6d3Jvbmc=', token)).toBe(false);
    expect(basicAuthMatches(undefined, token)).toBe(false);
  });
});
