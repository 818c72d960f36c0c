import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error';
import { loadAdapter } from './load-adapter';
import { type Greeter, notAnAdapter } from './test-fixtures/greeters';

const fixture = fileURLToPath(new URL('./test-fixtures/greeters.ts', import.meta.url));
const clock = { now: () => new Date('2026-01-02T03:04:05.000Z') };
const load = (block: Record<string, unknown> & { use: string }, deps: Record<string, unknown> = { clock }) =>
  loadAdapter<Greeter>({ blockName: 'adapters.greeter', port: 'greeter', block, deps });

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadAdapter', () => {
  it('picks between two adapters of one port by configuration alone', async () => {
    const polite = await load({ use: `${fixture}#politeGreeter`, salutation: 'Hail' });
    const timed = await load({ use: `${fixture}#timedGreeter`, shout: true });
    expect(polite.greet('Sindri')).toBe('Hail, Sindri.');
    expect(timed.greet('Brokkr')).toBe('HI BROKKR AT 2026-01-02T03:04:05.000Z');
  });

  it('applies option defaults from the adapter schema', async () => {
    expect((await load({ use: `${fixture}#politeGreeter` })).greet('x')).toBe('Good day, x.');
  });

  it('names an unknown module', async () => {
    expect(await errorOf(load({ use: '@volundr/no-such-adapter#thing' }))).toMatch(
      /^config block "adapters\.greeter" \(use: @volundr\/no-such-adapter#thing\): cannot load module "@volundr\/no-such-adapter"/,
    );
  });

  it('names a missing export and lists the adapters the module has', async () => {
    expect(await errorOf(load({ use: `${fixture}#rudeGreeter` }))).toMatch(
      /has no export "rudeGreeter" \(adapters it exports: politeGreeter, timedGreeter\)$/,
    );
  });

  it('refuses an export that is not an adapter definition', async () => {
    expect(notAnAdapter.hello).toBe('world');
    expect(await errorOf(load({ use: `${fixture}#notAnAdapter` }))).toMatch(
      /export "notAnAdapter" is not an adapter definition/,
    );
  });

  it('names a bad option and an unknown option', async () => {
    expect(await errorOf(load({ use: `${fixture}#timedGreeter`, shout: 'loud' }))).toMatch(
      /option "shout": .*expected boolean/i,
    );
    expect(await errorOf(load({ use: `${fixture}#politeGreeter`, salutaton: 'x' }))).toMatch(
      /option "salutaton": unknown option$/,
    );
  });

  it('refuses an adapter for another port', async () => {
    const message = await errorOf(
      loadAdapter({
        blockName: 'adapters.identity',
        port: 'identity',
        block: { use: `${fixture}#politeGreeter` },
        deps: {},
      }),
    );
    expect(message).toMatch(/"politeGreeter" is an adapter for port "greeter", not "identity"/);
  });

  it('names a dependency the port cannot provide', async () => {
    expect(await errorOf(load({ use: `${fixture}#timedGreeter`, shout: false }, {}))).toMatch(
      /the adapter needs "clock"/,
    );
  });
});

describe('loadAdapter with options the root enforces', () => {
  it('overwrites what the file says for keys the adapter knows, and ignores the rest', async () => {
    const greeter = await loadAdapter<Greeter>({
      blockName: 'adapters.greeter',
      port: 'greeter',
      block: { use: `${fixture}#politeGreeter`, salutation: 'from the file' },
      deps: {},
      enforced: { salutation: 'Enforced', mode: 'production' },
    });
    expect(greeter.greet('x')).toBe('Enforced, x.');
  });
});
