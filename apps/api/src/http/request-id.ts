import type { IncomingMessage } from 'node:http';

const VALID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Honours a caller's `x-request-id` when it is sane, otherwise makes one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && VALID.test(given) ? given : crypto.randomUUID();
}
