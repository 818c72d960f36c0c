import { cliEnv } from '../cli-env';
import { resolveDataDir } from '../commands/data-dir';
import { readCliConfig, ZServerUrl } from '../config/cli-config';
import { CliError } from '../output';
import { runningUp } from '../up/state-file';

/** The options every client command accepts (declared on the program). */
export interface GlobalOptions {
  server?: string;
  token?: string;
  context?: string;
  debug?: boolean;
}

export interface ServerTarget {
  /** Normalised base URL (no trailing slash). */
  server: string;
  /** The context it came from, if any. */
  context: string | null;
  /** Why this server: for messages such as "(from VOLUNDR_SERVER)". */
  source: 'flag' | 'env' | 'context' | 'local';
}

export function parseServerUrl(value: string, where: string): string {
  const parsed = ZServerUrl.safeParse(value);
  if (!parsed.success) throw new CliError(`${where}: ${parsed.error.issues[0]?.message ?? 'not a URL'}`, undefined, 2);
  return parsed.data;
}

/**
 * Which server a command talks to: `--server`, else `VOLUNDR_SERVER`, else the context named by
 * `--context`/`VOLUNDR_CONTEXT`, else the current context, else a `volundr up` running from the
 * default data dir.
 */
export function resolveTarget(options: GlobalOptions): ServerTarget {
  const env = cliEnv();
  if (options.server) return { server: parseServerUrl(options.server, '--server'), context: null, source: 'flag' };
  if (env.VOLUNDR_SERVER)
    return { server: parseServerUrl(env.VOLUNDR_SERVER, 'VOLUNDR_SERVER'), context: null, source: 'env' };
  const config = readCliConfig();
  const named = options.context ?? env.VOLUNDR_CONTEXT;
  if (named) {
    const context = config.contexts[named];
    if (!context) {
      throw new CliError(
        `no context named "${named}"`,
        `known contexts: ${Object.keys(config.contexts).join(', ') || 'none'} (add one: volundr context add ${named} --server URL)`,
        2,
      );
    }
    return { server: context.server, context: named, source: 'context' };
  }
  if (config.currentContext) {
    const context = config.contexts[config.currentContext];
    if (context) return { server: context.server, context: config.currentContext, source: 'context' };
  }
  const local = runningUp(resolveDataDir(undefined));
  if (local) return { server: parseServerUrl(local.url, 'volundr up'), context: null, source: 'local' };
  throw new CliError(
    'no Volundr server is configured',
    'add one with: volundr context add NAME --server URL (or pass --server / set VOLUNDR_SERVER; or start one: volundr up)',
  );
}
