/**
 * The `skuld` process: one chat broker per session. Configuration comes from `SKULD_*`
 * variables and flags (config.ts); once listening it prints one JSON line on stdout,
 * `{"event":"listening","host":…,"port":…}`; logs are JSON on stderr. SIGTERM/SIGINT stop it
 * gracefully (final report, outbox flush) and it exits 0.
 */
import { createBuiltinRolesAuthorization } from '@volundr/adapter-authz/builtin-roles';
import { createOidcIdentity } from '@volundr/adapter-identity/oidc-identity';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startSkuld } from './skuld';
import { transportFor } from './transport-factory';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`skuld: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, { sessionId: config.sessionId });
  process.on('uncaughtException', (error) => {
    logger.error({ error: error.message, stack: error.stack }, 'uncaught exception; exiting');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.error({ error: reason instanceof Error ? reason.message : String(reason) }, 'unhandled rejection');
  });

  const identity = createOidcIdentity({
    issuer: config.oidc.issuer,
    audience: config.oidc.audience,
    ...(config.oidc.jwksUrl ? { jwksUri: config.oidc.jwksUrl } : {}),
    claims: { preset: config.oidc.claimsPreset },
    ...(config.oidc.defaultTenant ? { defaultTenant: config.oidc.defaultTenant } : {}),
  });
  const running = await startSkuld(config, {
    logger,
    identity,
    authorization: createBuiltinRolesAuthorization(),
    createTransport: transportFor(config),
  });
  logger.info(
    { host: config.host, port: running.port, transport: config.transport, workspace: config.workspaceDir },
    'listening',
  );
  process.stdout.write(`${JSON.stringify({ event: 'listening', host: config.host, port: running.port })}\n`);

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal; exiting without finishing the stop');
      process.exit(1);
    }
    logger.info({ signal }, 'stop requested');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ error: (error as Error).message }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `skuld: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
