import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** The environment variables the client commands read, validated once (docs/cli.md lists them). */
const ZCliEnv = z.object({
  VOLUNDR_SERVER: optional,
  VOLUNDR_TOKEN: optional,
  VOLUNDR_CONTEXT: optional,
  XDG_CONFIG_HOME: optional,
});
export type CliEnv = z.infer<typeof ZCliEnv> & { configDir: string };

let cached: CliEnv | null = null;

export function cliEnv(): CliEnv {
  if (cached) return cached;
  const parsed = ZCliEnv.parse(process.env);
  // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const base = parsed.XDG_CONFIG_HOME?.startsWith('/') === true ? parsed.XDG_CONFIG_HOME : join(homedir(), '.config');
  cached = { ...parsed, configDir: join(base, 'volundr') };
  return cached;
}
