import pino from 'pino';
import { parseTerminalArgs, TERMINAL_USAGE } from './config';
import { startTerminalServer } from './terminal-server';

/**
 * `volundr-terminal`: logs (pino JSON) go to stderr; stdout carries exactly one line once the
 * server listens, `{"event":"listening","host":…,"port":…,"basePath":…}`, which supervisors
 * read to learn the port when started with `--port 0`.
 */
const parsed = parseTerminalArgs(process.argv.slice(2), process.env);
if (parsed.kind === 'help') {
  console.log(TERMINAL_USAGE);
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(`volundr-terminal: ${parsed.error}\n\n${TERMINAL_USAGE}`);
  process.exit(2);
}
const { config } = parsed;
const logger = pino({ name: 'volundr-terminal', level: config.logLevel }, pino.destination(2));

let server: Awaited<ReturnType<typeof startTerminalServer>>;
try {
  server = await startTerminalServer(config, logger);
} catch (error) {
  logger.fatal({ err: error }, 'could not start');
  console.error(`volundr-terminal: ${(error as Error).message}`);
  process.exit(1);
}
logger.info(
  {
    host: server.host,
    port: server.port,
    basePath: config.basePath,
    command: config.command,
    cwd: config.cwd,
    credential: config.credential !== undefined,
    writable: config.writable,
  },
  'listening',
);
process.stdout.write(
  `${JSON.stringify({ event: 'listening', host: server.host, port: server.port, basePath: config.basePath })}\n`,
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
