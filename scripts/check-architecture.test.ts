import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, 'check-architecture.mjs');

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'volundr-arch-'));
  for (const dir of ['apps', 'packages/adapters']) mkdirSync(join(root, dir), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
const check = (root: string) =>
  spawnSync(process.execPath, [script], { env: { ...process.env, ARCH_ROOT: root }, encoding: 'utf8' });

describe('the dependency rule check', () => {
  it('passes a core that imports only contracts and zod', () => {
    const root = tree({
      'packages/core/src/a.ts':
        "import { z } from 'zod';\nimport type { X } from '@volundr/contracts/x';\nimport { b } from './b';\n",
      'packages/core/package.json': '{"dependencies":{"zod":"4.6.7"}}',
    });
    expect(check(root).status).toBe(0);
  });

  it.each([
    ['node:fs', "import { readFileSync } from 'node:fs';"],
    ['drizzle-orm', "import { eq } from 'drizzle-orm';"],
    ['@trpc/server', "import { TRPCError } from '@trpc/server';"],
    ['node:child_process', "export { spawn } from 'node:child_process';"],
    ['@kubernetes/client-node', "const k = await import('@kubernetes/client-node');"],
  ])('fails when packages/core imports %s', (spec, line) => {
    const result = check(tree({ 'packages/core/src/port.ts': `${line}\n` }));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`packages/core/src/port.ts: imports "${spec}"`);
  });

  it('fails on a version range and on an adapter importing an app', () => {
    const result = check(
      tree({
        'packages/adapters/x/package.json': '{"dependencies":{"zod":"^4.6.7"}}',
        'packages/adapters/x/src/a.ts': "import { startApi } from '@volundr/api/start-api';\n",
      }),
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'packages/adapters/x/package.json: dependencies.zod is "^4.6.7" — pin an exact version',
    );
    expect(result.stderr).toContain(
      'packages/adapters/x/src/a.ts: imports "@volundr/api/start-api" — packages/adapters/x must not import apps',
    );
  });
});
