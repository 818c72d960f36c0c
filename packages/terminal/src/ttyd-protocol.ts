import { z } from 'zod';

/**
 * ttyd ≥ 1.7 wire protocol (../shared/reference/cli-protocols.md §3). Every frame starts with
 * one ASCII command byte; the rest is the payload. Shared by the server and the test client so
 * both read the protocol from one place.
 */
export const TTYD_SUBPROTOCOL = 'tty';

/** Client → server command bytes. */
export const ClientCommand = {
  INPUT: '0',
  RESIZE_TERMINAL: '1',
  PAUSE: '2',
  RESUME: '3',
  JSON_DATA: '{',
} as const;

/** Server → client command bytes. */
export const ServerCommand = {
  OUTPUT: '0',
  SET_WINDOW_TITLE: '1',
  SET_PREFERENCES: '2',
} as const;

/** Terminal sizes outside this range are refused (node-pty rejects 0; huge sizes are abuse). */
const ZDimension = z.number().int().min(1).max(10_000);

/** The first client message: `{"AuthToken":"…","columns":C,"rows":R}`. */
export const ZTtydHandshake = z.object({
  AuthToken: z.string().max(4096).optional(),
  columns: ZDimension.optional(),
  rows: ZDimension.optional(),
});
export type TtydHandshake = z.infer<typeof ZTtydHandshake>;

/** Payload of RESIZE_TERMINAL. */
export const ZTtydResize = z.object({ columns: ZDimension, rows: ZDimension });
export type TtydResize = z.infer<typeof ZTtydResize>;

/** Body of `GET <base>/token`. */
export const ZTtydToken = z.object({ token: z.string() });

/** A frame: the command byte followed by the payload bytes. */
export function frame(command: string, payload: Uint8Array | string = ''): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const out = Buffer.allocUnsafe(1 + body.length);
  out.write(command, 0, 'latin1');
  out.set(body, 1);
  return out;
}

/** Splits a frame into its command character and payload; null for an empty frame. */
export function parseFrame(data: Buffer): { command: string; payload: Buffer } | null {
  if (data.length === 0) return null;
  return { command: String.fromCharCode(data[0] ?? 0), payload: data.subarray(1) };
}

/** Parses `json` and validates it against `schema`; the error says what was wrong. */
export function parseJsonPayload<T>(
  schema: z.ZodType<T>,
  text: string,
): { ok: true; value: T } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not valid JSON' };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '),
    };
  }
  return { ok: true, value: parsed.data };
}

/** The value ttyd expects in `AuthToken` and returns from `/token`: base64 of `user:pass`. */
export const credentialToken = (credential: string): string => Buffer.from(credential, 'utf8').toString('base64');
