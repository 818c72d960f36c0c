import { mintDevToken } from '@volundr/adapter-identity/embedded/dev-token';
import { hasEmbeddedIdentity } from '@volundr/adapter-identity/embedded/identity-files';
import { type Role, ZRole } from '@volundr/contracts/principal';
import type { Command } from 'commander';
import { CliError } from '../output';
import { readUpState } from '../up/state-file';
import { resolveDataDir } from './data-dir';

interface TokenOptions {
  dataDir?: string;
  user: string;
  role?: string[];
  tenant?: string;
  ttl: string;
}

const roleOf = (value: string): Role => {
  const full = value.startsWith('volundr:') ? value : `volundr:${value}`;
  const parsed = ZRole.safeParse(full);
  if (!parsed.success) throw new CliError(`unknown role "${value}"`, 'roles: admin, developer, viewer');
  return parsed.data;
};

export function registerDevCommands(program: Command): void {
  const dev = program.command('dev').description('Local development helpers (local mode only)');
  dev
    .command('token')
    .description('Print an access token (JWT) from the embedded identity provider of a local data dir')
    .requiredOption('-u, --user <name>', 'user name (a dev user, or any name: it gets the developer role)')
    .option('-d, --data-dir <dir>', 'data dir of the local Volundr (default ~/.volundr)')
    .option(
      '-r, --role <role>',
      'role to put in the token (repeatable): admin, developer, viewer',
      (v, all: string[] = []) => [...all, v],
    )
    .option('-t, --tenant <tenant>', 'tenant claim')
    .option('--ttl <seconds>', 'lifetime in seconds', '3600')
    .addHelpText(
      'after',
      '\nExamples:\n  volundr dev token --user admin\n  TOKEN=$(volundr dev token --data-dir /tmp/v --user alice --role viewer)\n',
    )
    .action(async (options: TokenOptions) => {
      const dataDir = resolveDataDir(options.dataDir);
      if (!hasEmbeddedIdentity(dataDir)) {
        throw new CliError(
          `${dataDir} has no embedded identity provider (dev tokens exist only in local mode)`,
          `start Volundr on it once with: volundr up --data-dir ${dataDir}`,
        );
      }
      const ttlSeconds = Number(options.ttl);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
        throw new CliError(`--ttl must be a positive number of seconds, not "${options.ttl}"`);
      const running = readUpState(dataDir);
      const token = await mintDevToken({
        dataDir,
        user: options.user,
        ttlSeconds,
        ...(running?.issuer ? { issuer: running.issuer } : {}),
        ...(options.role?.length ? { roles: options.role.map(roleOf) } : {}),
        ...(options.tenant ? { tenant: options.tenant } : {}),
      }).catch((error: unknown) => {
        throw new CliError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
      });
      process.stdout.write(`${token}\n`);
    });
}
