/**
 * A kubeconfig for the emulator: as an object, as YAML, and as a file kubectl can use. The cluster
 * is plain http, which @kubernetes/client-node 1.4 only accepts with `insecure-skip-tls-verify`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

export interface KubeconfigDocument {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: Array<{ name: string; cluster: { server: string; 'insecure-skip-tls-verify': boolean } }>;
  users: Array<{ name: string; user: { token: string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string; namespace: string } }>;
  'current-context': string;
  preferences: Record<string, never>;
}

export interface EmulatorKubeconfig {
  object: KubeconfigDocument;
  yaml: string;
  /** A file holding `yaml`, for `kubectl --kubeconfig <path>` (removed by close()). */
  path: string;
  /** A private discovery cache directory for kubectl (`--cache-dir` / `KUBECACHEDIR`). */
  cacheDir: string;
  /** Environment for running kubectl against the emulator. */
  env: Record<string, string>;
  remove(): void;
}

export const EMULATOR_CONTEXT = 'kube-emulator';

export function writeKubeconfig(server: string, namespace = 'default'): EmulatorKubeconfig {
  const object: KubeconfigDocument = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: EMULATOR_CONTEXT, cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'emulator-user', user: { token: 'emulator-token' } }],
    contexts: [{ name: EMULATOR_CONTEXT, context: { cluster: EMULATOR_CONTEXT, user: 'emulator-user', namespace } }],
    'current-context': EMULATOR_CONTEXT,
    preferences: {},
  };
  const yaml = stringify(object);
  const dir = mkdtempSync(join(tmpdir(), 'kube-emulator-'));
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, yaml, { mode: 0o600 });
  const cacheDir = join(dir, 'cache');
  return {
    object,
    yaml,
    path,
    cacheDir,
    env: { KUBECONFIG: path, KUBECACHEDIR: cacheDir },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A client-node KubeConfig pointed at the emulator. */
export function clientConfig(yaml: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromString(yaml);
  return config;
}
