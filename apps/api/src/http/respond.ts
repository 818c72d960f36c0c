import type { ServerResponse } from 'node:http';
import type { ApiError } from '@volundr/contracts/errors';
import { jsonText } from './frozen-json';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = jsonText(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  status: number,
  error: ApiError,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error }, headers);
}
