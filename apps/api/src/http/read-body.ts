import type { IncomingMessage } from 'node:http';
import { DomainError } from '@volundr/core/errors';

/** Reads a JSON request body of at most `limitBytes`; empty body → undefined. */
export async function readJsonBody(req: IncomingMessage, limitBytes = 1024 * 1024): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limitBytes) throw new DomainError('BAD_REQUEST', `request body is larger than ${limitBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new DomainError('BAD_REQUEST', `request body is larger than ${limitBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const type = String(req.headers['content-type'] ?? '');
  if (type && !type.includes('application/json')) {
    throw new DomainError('BAD_REQUEST', `expected content-type application/json, got "${type.split(';')[0]}"`);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new DomainError('BAD_REQUEST', `request body is not valid JSON: ${(error as Error).message}`);
  }
}
