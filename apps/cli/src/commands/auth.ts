import type { Command } from 'commander';
import * as oidc from 'openid-client';
import { ApiClient } from '../api/api-client';
import { resolveTarget } from '../api/server-target';
import { browserLogin } from '../auth/browser-login';
import { deviceLogin } from '../auth/device-login';
import { configurationOf, discoverIssuer, toStoredLogin } from '../auth/oidc-client';
import { claimsOf, displayName } from '../auth/token-claims';
import { readLogin, removeLogin, saveLogin } from '../config/credentials';
import { bold, dim, green } from '../output';
import { examples, globalsOf, printJson } from './command-options';

export function registerAuthCommands(program: Command): void {
  program
    .command('login')
    .description('Log in to the server (device flow by default; --browser for a browser on this machine)')
    .option('--browser', 'log in through a browser on this machine (authorization code + PKCE, loopback redirect)')
    .option('--no-open', 'with --browser: print the URL instead of opening the browser')
    .addHelpText(
      'after',
      examples(
        'volundr login',
        'volundr login --browser',
        'volundr --server https://volundr.example.com login',
        'volundr --context prod login',
      ),
    )
    .action(async (options: { browser?: boolean; open: boolean }, command: Command) => {
      const api = ApiClient.fromOptions(globalsOf(command));
      const auth = await api.authConfig();
      const config = await discoverIssuer(auth);
      const scope = auth.scopes.join(' ');
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      const useBrowser = options.browser === true || !auth.deviceFlow;
      if (useBrowser && !options.browser)
        process.stderr.write(dim('The server does not offer the device flow; using a browser.\n'));
      try {
        const tokens = useBrowser
          ? await browserLogin(config, scope, { open: options.open, signal: controller.signal })
          : await deviceLogin(config, scope, controller.signal);
        saveLogin(api.server, toStoredLogin(config, tokens));
        const who =
          displayName(tokens.id_token ? claimsOf(tokens.id_token) : null) ?? displayName(claimsOf(tokens.access_token));
        process.stdout.write(`${green('Logged in')} to ${api.server}${who ? ` as ${bold(who)}` : ''}\n`);
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });

  program
    .command('logout')
    .description('Forget the login to the server (and revoke its refresh token when the provider allows)')
    .addHelpText('after', examples('volundr logout', 'volundr --context prod logout'))
    .action(async (_options: unknown, command: Command) => {
      const target = resolveTarget(globalsOf(command));
      const login = readLogin(target.server);
      if (!login) {
        process.stdout.write(`Not logged in to ${target.server}\n`);
        return;
      }
      removeLogin(target.server);
      if (login.refreshToken && login.revocationEndpoint) {
        // Best effort: the local copy is gone either way, and an offline provider must not block logout.
        await oidc
          .tokenRevocation(configurationOf(login), login.refreshToken, { token_type_hint: 'refresh_token' })
          .catch(() => {});
      }
      process.stdout.write(`Logged out of ${target.server}\n`);
    });

  program
    .command('whoami')
    .description('Show who the server sees you as, and where your credentials come from')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples('volundr whoami', 'VOLUNDR_TOKEN=vpat_… volundr whoami --json'))
    .action(async (options: { json?: boolean }, command: Command) => {
      const api = ApiClient.fromOptions(globalsOf(command));
      const me = await api.query('me', undefined);
      if (options.json) {
        printJson({ server: api.server, context: api.target.context, ...me });
        return;
      }
      const { principal } = me;
      const contact = [principal.name, principal.email ? `<${principal.email}>` : null].filter(Boolean).join(' ');
      const rows: [string, string][] = [
        ['user', `${bold(principal.userId)}${contact ? ` (${contact})` : ''}`],
        ['tenant', principal.tenantId],
        ['roles', principal.roles.join(', ') || dim('none')],
        ['server', `${api.server}${api.target.context ? dim(` (context ${api.target.context})`) : ''}`],
        ['credentials', credentialsLine(api)],
      ];
      for (const [key, value] of rows) process.stdout.write(`${key.padEnd(12)}${value}\n`);
    });
}

function credentialsLine(api: ApiClient): string {
  if (api.tokens.kind === 'flag') return 'token from --token';
  if (api.tokens.kind === 'env') return 'token from VOLUNDR_TOKEN';
  const login = readLogin(api.server);
  if (!login?.expiresAt) return 'stored login';
  const minutes = Math.round((Date.parse(login.expiresAt) - Date.now()) / 60_000);
  const refresh = login.refreshToken ? ', refreshed automatically' : ', then log in again';
  return `stored login (access token valid for ${Math.max(0, minutes)} min${refresh})`;
}
