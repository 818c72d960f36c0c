/**
 * Query parameters of the resource endpoints, validated with zod. Unknown parameters are ignored
 * as the API server ignores them; a known one with a bad value is a 400 naming it.
 */
import { z } from 'zod';
import { badRequest } from './api-error';

const flag = z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1' || v === '');
const integer = z
  .string()
  .regex(/^-?\d+$/, 'must be an integer')
  .transform(Number);

export const ZQueryParams = z.looseObject({
  labelSelector: z.string().optional(),
  fieldSelector: z.string().optional(),
  watch: flag.optional(),
  resourceVersion: z.string().optional(),
  resourceVersionMatch: z.enum(['NotOlderThan', 'Exact']).optional(),
  timeoutSeconds: integer.optional(),
  allowWatchBookmarks: flag.optional(),
  sendInitialEvents: flag.optional(),
  limit: integer.optional(),
  continue: z.string().optional(),
  propagationPolicy: z.enum(['Background', 'Foreground', 'Orphan']).optional(),
  orphanDependents: flag.optional(),
  gracePeriodSeconds: integer.optional(),
  dryRun: z.enum(['All']).optional(),
  fieldManager: z.string().max(128).optional(),
  fieldValidation: z.enum(['Strict', 'Warn', 'Ignore']).optional(),
  force: flag.optional(),
  pretty: z.string().optional(),
  includeObject: z.enum(['None', 'Metadata', 'Object']).optional(),
  // pods/log
  container: z.string().optional(),
  follow: flag.optional(),
  previous: flag.optional(),
  tailLines: integer.optional(),
  timestamps: flag.optional(),
});
export type QueryParams = z.infer<typeof ZQueryParams>;

export function parseQuery(search: URLSearchParams): QueryParams {
  const parsed = ZQueryParams.safeParse(Object.fromEntries(search));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? '');
  throw badRequest(`invalid query parameter ${name}=${JSON.stringify(search.get(name))}: ${issue.message}`);
}

export const ZDeleteOptions = z.looseObject({
  kind: z.literal('DeleteOptions').optional(),
  apiVersion: z.string().optional(),
  propagationPolicy: z.enum(['Background', 'Foreground', 'Orphan']).optional(),
  orphanDependents: z.boolean().optional(),
  gracePeriodSeconds: z.number().int().optional(),
  dryRun: z.array(z.literal('All')).optional(),
  preconditions: z.object({ uid: z.string().optional(), resourceVersion: z.string().optional() }).optional(),
});
export type DeleteOptionsBody = z.infer<typeof ZDeleteOptions>;

/** The `continue` token of a paged list: where to resume and the list's resourceVersion. */
export const ZContinueToken = z.object({ after: z.string(), rv: z.string() });
export type ContinueToken = z.infer<typeof ZContinueToken>;

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function decodeContinue(text: string): ContinueToken {
  try {
    return ZContinueToken.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw badRequest(`continue key is not valid: ${text}`);
  }
}
