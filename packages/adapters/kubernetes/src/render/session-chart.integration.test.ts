import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ZRuntimeSettings } from '../runtime-settings';
import { helmBinary } from '../test/helm-binary';
import { validateObject } from '../test/kube-objects';
import { testRuntime } from '../test/kube-session-world';
import { minimalSpec, richSpec } from '../test/session-spec-fixture';
import { chartDir, chartSchemaPath, chartSchemaText } from './chart-schema-file';
import { chartValues } from './chart-values';
import { type KubeObject, renderSessionObjects } from './session-objects';
import type { SessionRenderInput } from './session-render-input';

const run = promisify(execFile);
let helm: string;
let dir: string;

beforeAll(async () => {
  helm = await helmBinary();
  dir = await mkdtemp(join(tmpdir(), 'volundr-chart-'));
});
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

let counter = 0;
async function helmTemplate(values: unknown): Promise<KubeObject[]> {
  const file = join(dir, `values-${++counter}.json`);
  await writeFile(file, JSON.stringify(values));
  const { stdout } = await run(helm, ['template', 's-1', chartDir, '--namespace', 'volundr-sessions', '-f', file]);
  return parseAllDocuments(stdout)
    .map((d) => d.toJSON() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

const input = (spec: SessionRenderInput['spec'], extra: Partial<SessionRenderInput> = {}): SessionRenderInput => ({
  spec,
  runtime: ZRuntimeSettings.parse(testRuntime),
  namespace: 'volundr-sessions',
  runtimeLabel: 'flux',
  attempt: { id: `${spec.session.id}-3`, number: 3 },
  credentials: null,
  ...extra,
});

const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;

describe('the session chart renders what the direct pod manager creates', () => {
  const cases = [
    {
      name: 'a git session with everything on',
      input: input(richSpec(), {
        credentials: {
          secretName: 's-sess-42-3-credentials',
          reportToken: true,
          apiUrl: 'https://volundr.example.test',
        },
      }),
    },
    { name: 'the smallest session', input: input(minimalSpec()) },
  ];

  it.each(cases)('$name', async ({ input: given }) => {
    const fromChart = await helmTemplate(chartValues(given));
    const direct = Object.values(renderSessionObjects(given)).filter((o): o is KubeObject => o !== null);
    expect(fromChart.map(key).sort()).toEqual(direct.map(key).sort());
    for (const object of fromChart) {
      validateObject(object);
      expect(object).toEqual(direct.find((d) => key(d) === key(object)));
    }
  });
});

describe("the chart's route policy", () => {
  const policyOf = async (jwt: Record<string, unknown>) => {
    const values = chartValues(input(richSpec())) as { runtime: { gateway: { jwt: Record<string, unknown> } } };
    values.runtime.gateway.jwt = jwt;
    const objects = await helmTemplate(values);
    return objects.find((o) => o.kind === 'SecurityPolicy') as KubeObject & { spec: Record<string, unknown> };
  };

  it('lets only the owner through when values name no ownerClaim, and anyone with a valid token when it is false', async () => {
    const { ownerClaim: _, ...jwt } = testRuntime.gateway.jwt;
    const owned = await policyOf(jwt);
    expect(JSON.stringify(owned.spec.authorization)).toContain(
      `{"name":"sub","values":["${richSpec().session.ownerId}"]}`,
    );
    expect((await policyOf({ ...jwt, ownerClaim: false })).spec).not.toHaveProperty('authorization');
  });
});

describe('the chart values schema', () => {
  it('is the committed values.schema.json (regenerate with scripts/generate-chart-schema.ts)', async () => {
    expect(await readFile(chartSchemaPath, 'utf8')).toBe(chartSchemaText());
  });

  it('makes Helm refuse bad values, naming the field', async () => {
    const good = chartValues(input(minimalSpec()));
    const bad = structuredClone(good) as {
      spec: { session: { cli: string }; pod: { containers: { name: string }[] } };
    };
    bad.spec.session.cli = 'bash';
    bad.spec.pod.containers[0]!.name = 'Not_A_Label';
    const error = await helmTemplate(bad).then(
      () => null,
      (e: { stderr?: string }) => e.stderr ?? String(e),
    );
    expect(error).toMatch(/values don't meet the specifications of the schema/);
    expect(error).toMatch(/spec\.session\.cli|\/spec\/session\/cli/);
    expect(error).toMatch(/containers\/0\/name|containers\.0\.name/);
    await expect(helmTemplate({})).rejects.toThrow(/spec|runtime/);
  });
});
