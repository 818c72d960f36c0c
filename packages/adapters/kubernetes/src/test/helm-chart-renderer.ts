/**
 * A renderer for the emulator's simulated Flux that runs the real `helm template` on the session
 * chart, so Flux tests install exactly what the chart renders (and Helm checks the values
 * against values.schema.json). The emulator's renderer is synchronous: helm runs with
 * execFileSync, which is fine because helm template never calls the API server.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HelmReleaseRender } from '@volundr/testkit/kube/helm-render';
import type { KubeObject } from '@volundr/testkit/kube/kube-object';
import { parseAllDocuments } from 'yaml';
import { chartDir } from '../render/chart-schema-file';

export function helmChartRenderer(helm: string) {
  const dir = mkdtempSync(join(tmpdir(), 'volundr-flux-'));
  let counter = 0;
  const render = (release: HelmReleaseRender): KubeObject[] => {
    const file = join(dir, `values-${++counter}.json`);
    writeFileSync(file, JSON.stringify(release.values));
    let stdout: string;
    try {
      stdout = execFileSync(
        helm,
        ['template', release.releaseName, chartDir, '--namespace', release.targetNamespace, '-f', file],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (error) {
      throw new Error(String((error as { stderr?: string }).stderr ?? error).trim());
    }
    return parseAllDocuments(stdout)
      .map((d) => d.toJSON() as KubeObject | null)
      .filter((o): o is KubeObject => o !== null);
  };
  return { render, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
