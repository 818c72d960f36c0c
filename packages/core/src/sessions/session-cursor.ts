import { DomainError } from '../errors';

/** Position after the last item of a page (lists are ordered created_at desc, id desc). */
export interface SessionCursor {
  createdAt: Date;
  id: string;
}

/** Opaque to clients: base64url of `<createdAt ISO>|<id>`. */
export function encodeSessionCursor(cursor: SessionCursor): string {
  const raw = `${cursor.createdAt.toISOString()}|${cursor.id}`;
  return btoa(String.fromCharCode(...new TextEncoder().encode(raw)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Decodes a cursor from a client; anything malformed is `BAD_REQUEST`, never a crash. */
export function decodeSessionCursor(cursor: string): SessionCursor {
  const bad = () => new DomainError('BAD_REQUEST', 'cursor: not a cursor returned by a previous page');
  let raw: string;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    raw = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    throw bad();
  }
  const split = raw.indexOf('|');
  if (split < 0) throw bad();
  const createdAt = new Date(raw.slice(0, split));
  const id = raw.slice(split + 1);
  if (Number.isNaN(createdAt.getTime()) || id.length === 0 || id.length > 255) throw bad();
  return { createdAt, id };
}
