import { join } from 'node:path';
import { z } from 'zod';
import { cliEnv } from '../cli-env';
import { readJsonFile, writePrivateJson } from './private-file';

/** A context name: what people type after `context use`. */
export const ZContextName = z
  .string()
  .min(1, 'a context name is required')
  .max(63, 'at most 63 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

/** A server's base URL, normalised: http(s), no trailing slash, no query or fragment. */
export const ZServerUrl = z
  .string()
  .trim()
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a URL` });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `"${value}" must be an http:// or https:// URL` });
      return z.NEVER;
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'the server URL must not contain credentials' });
      return z.NEVER;
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  });

export const ZContext = z.strictObject({ server: ZServerUrl });
export type Context = z.infer<typeof ZContext>;

export const ZCliConfig = z.strictObject({
  currentContext: ZContextName.nullable().default(null),
  contexts: z.record(ZContextName, ZContext).default({}),
});
export type CliConfig = z.infer<typeof ZCliConfig>;

export const configPath = () => join(cliEnv().configDir, 'config.json');

export function readCliConfig(): CliConfig {
  return readJsonFile(configPath(), ZCliConfig, () => ({ currentContext: null, contexts: {} }));
}

export function writeCliConfig(config: CliConfig): void {
  writePrivateJson(configPath(), config);
}
