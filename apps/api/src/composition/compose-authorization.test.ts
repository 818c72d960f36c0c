import type { Principal } from '@volundr/contracts/principal';
import type { Resource } from '@volundr/core/authz/ports/authorization';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error';
import { type Config, ZConfig } from '../config/schema';
import { builtinModules } from './builtin-modules';
import { composeAuthorization } from './compose-authorization';
import { registerModules } from './module-table';

const viewer: Principal = { userId: 'val', email: null, name: null, tenantId: 't1', roles: ['volundr:viewer'] };
const session: Resource = { kind: 'session', id: 's1', ownerId: 'olga', tenantId: 't1' };
const config = (input: object): Config => ZConfig.parse(input);

registerModules(builtinModules);

describe('composeAuthorization', () => {
  it('chooses between real adapters of one port by configuration alone', async () => {
    const builtin = await composeAuthorization(config({}), {});
    const allowAll = await composeAuthorization(
      config({ adapters: { authorization: { use: '@volundr/adapter-authz/allow-all#allowAll' } } }),
      {},
    );
    expect((await builtin.check(viewer, 'stop', session)).allowed).toBe(false);
    expect((await allowAll.check(viewer, 'stop', session)).allowed).toBe(true);
  });

  it('refuses allow-all in production even when the file claims local mode', async () => {
    const production = config({
      mode: 'production',
      auth: { issuer: 'https://idp.example.com/realms/x' },
      database: { driver: 'postgres', url: 'postgres://x/y' },
      adapters: { authorization: { use: '@volundr/adapter-authz/allow-all#allowAll', mode: 'local' } },
    });
    await expect(composeAuthorization(production, {})).rejects.toThrow(ConfigError);
    await expect(composeAuthorization(production, {})).rejects.toThrow(/local development only/i);
  });

  it("validates a built-in adapter's options", async () => {
    const bad = config({ adapters: { authorization: { use: '@volundr/adapter-authz/cerbos#cerbos', url: 42 } } });
    await expect(composeAuthorization(bad, {})).rejects.toThrow(/adapters\.authorization.*option "url"/);
  });
});
