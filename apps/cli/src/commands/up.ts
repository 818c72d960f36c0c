import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import type { Command } from 'commander';
import { bold, CliError, dim, green, yellow } from '../output';
import { ApiStartError, ApiSupervisor } from '../up/api-supervisor';
import { createFrontDoor } from '../up/front-door';
import { apiEntry, checkoutRoot } from '../up/paths';
import { isAlive, removeUpState, runningUp, writeUpState } from '../up/state-file';
import { createUpSessionGateway } from '../up/up-session-gateway';
import { resolveDataDir } from './data-dir';

interface UpOptions {
  port: string;
  host: string;
  dataDir?: string;
  config?: string;
}

const parsePort = (value: string) => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new CliError(`--port must be a number from 1 to 65535, not "${value}"`);
  return port;
};

export function registerUpCommands(program: Command): void {
  program
    .command('up')
    .description('Run the whole platform on this machine: API, web app, identity provider, sessions as local processes')
    .option('-p, --port <port>', 'port to listen on', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('-d, --data-dir <dir>', 'where state lives (default ~/.volundr or $VOLUNDR_DATA_DIR)')
    .option('-c, --config <file>', 'configuration file (default: none, local embedded mode; or $VOLUNDR_CONFIG)')
    .addHelpText('after', '\nExamples:\n  volundr up\n  volundr up --port 9000 --data-dir /tmp/volundr-demo\n')
    .action((options: UpOptions) => up(options));

  program
    .command('status')
    .description('Show whether Volundr is running from a data dir')
    .option('-d, --data-dir <dir>', 'data dir (default ~/.volundr)')
    .action(async (options: { dataDir?: string }) => {
      const dataDir = resolveDataDir(options.dataDir);
      const state = runningUp(dataDir);
      if (!state) throw new CliError(`Volundr is not running from ${dataDir}`, 'start it with: volundr up', 1);
      const ready = await fetch(`${state.url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      process.stdout.write(`Volundr is running at ${state.url} (pid ${state.pid}, ${ready ? 'ready' : 'not ready'})\n`);
    });

  program
    .command('down')
    .description('Stop the Volundr started from a data dir')
    .option('-d, --data-dir <dir>', 'data dir (default ~/.volundr)')
    .action(async (options: { dataDir?: string }) => {
      const dataDir = resolveDataDir(options.dataDir);
      const state = runningUp(dataDir);
      if (!state) {
        process.stdout.write(`Volundr is not running from ${dataDir}\n`);
        return;
      }
      process.kill(state.pid, 'SIGTERM');
      const deadline = Date.now() + 30_000;
      while (isAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (isAlive(state.pid)) throw new CliError(`Volundr (pid ${state.pid}) did not stop within 30 s`);
      process.stdout.write('Volundr stopped\n');
    });
}

async function up(options: UpOptions): Promise<void> {
  const port = parsePort(options.port);
  const dataDir = resolveDataDir(options.dataDir);
  const configFile = options.config ?? process.env.VOLUNDR_CONFIG;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const already = runningUp(dataDir);
  if (already) {
    throw new CliError(
      `Volundr is already running from ${dataDir} at ${already.url} (pid ${already.pid})`,
      `stop it with: volundr down --data-dir ${dataDir}`,
    );
  }
  const entry = apiEntry();
  if (!existsSync(entry))
    throw new CliError(
      `the API server is not built (${entry})`,
      'build it with: npm start (or node scripts/bootstrap.mjs build)',
    );

  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  const webRoot = join(checkoutRoot(), 'apps/web/dist');
  let apiPort: number | null = null;
  const sessions = await createUpSessionGateway({
    url,
    dataDir,
    configFile,
    apiUrl: () => (apiPort ? `http://127.0.0.1:${apiPort}` : null),
  });
  const frontDoor = createFrontDoor({
    sessions,
    apiPort: () => apiPort,
    webRoot: existsSync(webRoot) ? webRoot : null,
  });
  await listen(frontDoor, port, options.host);

  let issuer: string | null = null;
  const supervisor = new ApiSupervisor({
    entry,
    args: [
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
      '--public-url',
      url,
      ...(configFile ? ['--config', configFile] : []),
    ],
    env: { ...process.env, VOLUNDR_SUPERVISED: '1' },
    logDir: join(dataDir, 'logs'),
    onReady: (ready) => {
      apiPort = ready.port;
      issuer = ready.issuer ?? null;
      writeUpState(dataDir, {
        pid: process.pid,
        url,
        port,
        apiPid: ready.pid,
        issuer,
        startedAt: new Date().toISOString(),
      });
    },
    onExit: ({ code, signal, restartInMs }) => {
      apiPort = null;
      process.stderr.write(
        `${yellow('API process exited')} (${signal ?? `code ${code}`}); restarting in ${restartInMs} ms — sessions keep running\n`,
      );
    },
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(dim(`\nstopping (${signal})…\n`));
    frontDoor.close();
    frontDoor.closeAllConnections();
    await supervisor.stop();
    removeUpState(dataDir, process.pid);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  let firstReady: Awaited<ReturnType<ApiSupervisor['start']>>;
  try {
    firstReady = await supervisor.start();
  } catch (error) {
    frontDoor.close();
    if (error instanceof ApiStartError) {
      const tail = error.tail
        .slice(-8)
        .map((l) => `  ${l}`)
        .join('\n');
      throw new CliError(`${error.message}\n${tail}`, `full log: ${join(dataDir, 'logs', 'api.log')}`);
    }
    throw error;
  }
  process.stdout.write(`${green('Volundr is running at')} ${bold(url)}\n`);
  if (firstReady.adminPassword) {
    process.stdout.write(
      `Sign in as ${bold('admin')} with password ${bold(firstReady.adminPassword)} (shown this once; stored hashed)\n`,
    );
  } else {
    process.stdout.write(dim('Sign in with your dev user (the admin password was printed on the first start).\n'));
  }
  process.stdout.write(
    dim(
      `data dir ${dataDir} · logs ${join(dataDir, 'logs')} · stop with Ctrl-C or: volundr down --data-dir ${dataDir}\n`,
    ),
  );
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new CliError(
            `port ${port} on ${host} is already in use`,
            `choose another port: volundr up --port ${port + 1}`,
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(new CliError(`not allowed to listen on port ${port}`, 'choose a port above 1024 with --port'));
      } else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}
