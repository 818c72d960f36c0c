/**
 * An in-process broker for tests: real OIDC validation against a test issuer, the built-in
 * roles, a real event log and outbox in a temp dir, and a fake transport.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBuiltinRolesAuthorization } from '@volundr/adapter-authz/builtin-roles';
import { createOidcIdentity } from '@volundr/adapter-identity/oidc-identity';
import { silentLogger } from '@volundr/core/shared/ports/logger';
import { startTestIssuer, type TestIssuer } from '@volundr/testkit/test-issuer';
import { loadConfig, type SkuldConfig } from '../config';
import { type RunningSkuld, startSkuld } from '../skuld';
import { createFakeTransport, type FakeTransport, type FakeTransportOptions } from '../transports/fake-transport';

export const OWNER = { sub: 'owner-1', name: 'Ada Owner', email: 'ada@example.test', tenant: 'tenant-1' };
export const STRANGER = { sub: 'user-2', name: 'Bob Other', email: 'bob@example.test', tenant: 'tenant-1' };
export const AUDIENCE = 'skuld-test';

export interface Harness {
  issuer: TestIssuer;
  skuld: RunningSkuld;
  transport: FakeTransport;
  config: SkuldConfig;
  dir: string;
  workspace: string;
  url: string;
  token(claims?: Record<string, unknown>, options?: Parameters<TestIssuer['sign']>[1]): Promise<string>;
  /** Stops the broker (gracefully) and starts a new one on the same state dir and port. */
  restart(transportOptions?: FakeTransportOptions): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    transport?: FakeTransportOptions;
    env?: Record<string, string>;
    issuer?: TestIssuer;
    /** Fills the workspace before the broker starts (a git repository, files). */
    prepareWorkspace?: (workspace: string) => void;
  } = {},
): Promise<Harness> {
  const issuer = options.issuer ?? (await startTestIssuer({ audience: AUDIENCE }));
  const dir = mkdtempSync(join(tmpdir(), 'skuld-test-'));
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace);
  options.prepareWorkspace?.(workspace);
  const config = loadConfig({
    SKULD_SESSION_ID: 'sess-1',
    SKULD_OWNER_ID: OWNER.sub,
    SKULD_TENANT_ID: OWNER.tenant,
    SKULD_WORKSPACE_DIR: workspace,
    SKULD_PORT: '0',
    SKULD_OIDC_ISSUER: issuer.issuer,
    SKULD_OIDC_AUDIENCE: AUDIENCE,
    SKULD_TRANSPORT: 'fake',
    SKULD_MODEL: 'fake-model',
    SKULD_WATCH_WORKSPACE: 'false',
    ...options.env,
  });
  const identity = createOidcIdentity({ issuer: issuer.issuer, audience: AUDIENCE });
  const authorization = createBuiltinRolesAuthorization();

  const boot = async (transportOptions: FakeTransportOptions = {}, port = 0) => {
    let transport: FakeTransport | null = null;
    const skuld = await startSkuld(
      { ...config, port },
      {
        logger: silentLogger,
        identity,
        authorization,
        createTransport: (o) => {
          transport = createFakeTransport({
            model: o.model,
            ...(o.resumeId ? { resumeId: o.resumeId } : {}),
            ...(o.onCliSessionId ? { onCliSessionId: o.onCliSessionId } : {}),
            ...transportOptions,
          });
          return transport;
        },
      },
    );
    if (!transport) throw new Error('transport was not created');
    return { skuld, transport: transport as FakeTransport };
  };

  let current = await boot(options.transport);
  const harness: Harness = {
    issuer,
    get skuld() {
      return current.skuld;
    },
    get transport() {
      return current.transport;
    },
    config,
    dir,
    workspace,
    get url() {
      return `ws://127.0.0.1:${current.skuld.port}/ws/chat`;
    },
    token: (claims = {}, signOptions) => issuer.sign({ ...OWNER, ...claims }, signOptions),
    async restart(transportOptions) {
      const port = current.skuld.port;
      await current.skuld.stop();
      current = await boot(transportOptions ?? options.transport, port);
    },
    async close() {
      await current.skuld.stop();
      if (!options.issuer) await issuer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
