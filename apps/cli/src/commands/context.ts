import type { Command } from 'commander';
import { parseServerUrl } from '../api/server-target';
import { readCliConfig, writeCliConfig, ZContextName } from '../config/cli-config';
import { loggedInServers } from '../config/credentials';
import { bold, CliError, dim, exitCodes } from '../output';
import { renderTable } from '../ui/table';
import { examples, globalsOf, printJson } from './command-options';

function contextName(value: string): string {
  const parsed = ZContextName.safeParse(value);
  if (!parsed.success)
    throw new CliError(`bad context name "${value}": ${parsed.error.issues[0]?.message}`, undefined, exitCodes.usage);
  return parsed.data;
}

function existing(name: string) {
  const config = readCliConfig();
  if (!config.contexts[name]) {
    throw new CliError(
      `no context named "${name}"`,
      `known contexts: ${Object.keys(config.contexts).join(', ') || 'none'} (see: volundr context ls)`,
    );
  }
  return config;
}

export function registerContextCommands(program: Command): void {
  const context = program
    .command('context')
    .description('Named servers to talk to (stored in $XDG_CONFIG_HOME/volundr/config.json)')
    .addHelpText(
      'after',
      examples(
        'volundr context add local --server http://127.0.0.1:8080',
        'volundr context add prod --server https://volundr.example.com --use',
        'volundr context use prod',
        'volundr context ls',
      ),
    );

  context
    .command('add')
    .description('Add a context (the first one becomes the current one)')
    .usage('<name> --server <url> [--use]')
    .argument('<name>', 'a name for the server')
    // `--server <url>` is the program-wide option (commander gives it to the program wherever it
    // appears), read here through optsWithGlobals.
    .option('--use', 'make it the current context')
    .addHelpText('after', examples('volundr context add local --server http://127.0.0.1:8080'))
    .action((rawName: string, options: { use?: boolean }, command: Command) => {
      const name = contextName(rawName);
      const given = globalsOf(command).server;
      if (!given)
        throw new CliError(
          'context add needs --server URL',
          `e.g. volundr context add ${name} --server http://127.0.0.1:8080`,
          exitCodes.usage,
        );
      const server = parseServerUrl(given, '--server');
      const config = readCliConfig();
      const before = config.contexts[name];
      if (before && before.server !== server) {
        throw new CliError(
          `context "${name}" already exists (server ${before.server})`,
          `remove it first: volundr context rm ${name}`,
        );
      }
      config.contexts[name] = { server };
      const makeCurrent = options.use === true || config.currentContext === null;
      if (makeCurrent) config.currentContext = name;
      writeCliConfig(config);
      process.stdout.write(`Context ${bold(name)} → ${server}${makeCurrent ? ' (current)' : ''}\n`);
      if (!loggedInServers().includes(server))
        process.stdout.write(dim(`Log in with: volundr --context ${name} login\n`));
    });

  context
    .command('use')
    .description('Make a context the current one')
    .argument('<name>', 'the context')
    .addHelpText('after', examples('volundr context use prod'))
    .action((name: string) => {
      const config = existing(name);
      config.currentContext = name;
      writeCliConfig(config);
      process.stdout.write(`Now using ${bold(name)} (${config.contexts[name]?.server})\n`);
    });

  context
    .command('ls')
    .alias('list')
    .description('List contexts; the current one is marked with *')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples('volundr context ls', 'volundr context ls --json'))
    .action((options: { json?: boolean }) => {
      const config = readCliConfig();
      const logged = new Set(loggedInServers());
      const items = Object.entries(config.contexts).map(([name, c]) => ({
        name,
        server: c.server,
        current: name === config.currentContext,
        loggedIn: logged.has(c.server),
      }));
      if (options.json) return printJson({ currentContext: config.currentContext, contexts: items });
      if (items.length === 0) {
        process.stdout.write(`No contexts yet. Add one: volundr context add NAME --server URL\n`);
        return;
      }
      const rows = items.map((i) => [i.current ? '*' : '', i.name, i.server, i.loggedIn ? 'yes' : dim('no')]);
      process.stdout.write(renderTable(['', 'NAME', 'SERVER', 'LOGGED IN'], rows));
    });

  context
    .command('rm')
    .alias('remove')
    .description('Remove a context (its login is kept until: volundr logout)')
    .argument('<name>', 'the context')
    .addHelpText('after', examples('volundr context rm old'))
    .action((name: string) => {
      const config = existing(name);
      delete config.contexts[name];
      if (config.currentContext === name) config.currentContext = null;
      writeCliConfig(config);
      process.stdout.write(`Removed context ${name}\n`);
    });
}
