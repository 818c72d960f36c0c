#!/usr/bin/env node
// The API server process. Standalone (containers) it logs JSON to stdout; under `volundr up`
// it also reports readiness to its supervisor over IPC.
import { parseArgs } from 'node:util';
import { startApi } from './start-api';

const { values } = parseArgs({
  options: {
    config: { type: 'string', short: 'c' },
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'public-url': { type: 'string' },
  },
  strict: true,
});

const portFlag = values.port === undefined ? undefined : Number(values.port);
if (portFlag !== undefined && (!Number.isInteger(portFlag) || portFlag < 0 || portFlag > 65535)) {
  process.stderr.write(`--port must be a number from 0 to 65535, not "${values.port}"\n`);
  process.exit(2);
}

try {
  const api = await startApi({
    file: values.config ?? process.env.VOLUNDR_CONFIG,
    flags: {
      dataDir: values['data-dir'],
      'server.port': portFlag,
      'server.host': values.host,
      'server.publicUrl': values['public-url'],
    },
  });
  process.send?.({ event: 'ready', port: api.port, issuer: api.issuer, adminPassword: api.adminPassword });
  const shutdown = (signal: string) => {
    api.logger.info({ signal }, 'shutting down');
    api.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        api.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.on('disconnect', () => shutdown('supervisor gone'));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'start-up failed', error: message })}\n`);
  process.stderr.write(`volundr-api: ${message}\n`);
  process.exit(1);
}
