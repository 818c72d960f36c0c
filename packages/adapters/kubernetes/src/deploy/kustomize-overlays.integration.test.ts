/**
 * The Kustomize overlays of deploy/kustomize, rendered with the real `kubectl kustomize`: every
 * object passes its kubernetes-models schema, the API is highly available and migrates through a
 * Job, RBAC grants the session runtime what it uses and nothing cluster-wide, and the production
 * config's Kubernetes adapter blocks pass those adapters' own option schemas.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { HelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/HelmRepository';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { z } from 'zod';

const run = promisify(execFile);
const kustomizeDir = resolve(import.meta.dirname, '..', '..', '..', '..', '..', 'deploy', 'kustomize');

interface Rendered {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: kubernetes-models constructors take their own input types.
const models: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'gateway.networking.k8s.io/v1/HTTPRoute': HTTPRoute,
};

async function render(overlay: string): Promise<Rendered[]> {
  const { stdout } = await run('kubectl', [
    'kustomize',
    '--load-restrictor',
    'LoadRestrictionsNone',
    resolve(kustomizeDir, 'overlays', overlay),
  ]);
  return parseAllDocuments(stdout).map((d) => d.toJSON() as Rendered);
}

function validate(object: Rendered) {
  if (object.kind === 'HelmRepository') {
    // Flux's GA v1 is checked against the closest schema the models ship (v1beta2), as the emulator does.
    new HelmRepository({ ...object, apiVersion: 'source.toolkit.fluxcd.io/v1beta2' } as never).validate();
    return;
  }
  const Model = models[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

const find = (objects: Rendered[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name.startsWith(name));

/** The adapter modules a production config may name, with the export each block uses. */
async function checkAdapterBlocks(config: { adapters: Record<string, { use: string } & Record<string, unknown>> }) {
  let checked = 0;
  for (const [block, { use, ...options }] of Object.entries(config.adapters)) {
    const [specifier, exportName] = use.split('#') as [string, string];
    if (!specifier.startsWith('@volundr/adapter-kubernetes/')) continue;
    const module = (await import(`../${specifier.slice('@volundr/adapter-kubernetes/'.length)}.ts`)) as Record<
      string,
      { options: z.ZodType }
    >;
    const parsed = module[exportName]?.options.safeParse(options);
    expect(parsed?.success, `adapters.${block}: ${JSON.stringify(parsed?.error?.issues ?? 'no such export')}`).toBe(
      true,
    );
    checked++;
  }
  return checked;
}

describe.each(['production', 'flux', 'production-cerbos'])('overlay %s', (overlay) => {
  it('renders objects that pass their schemas, HA API, migration Job, namespaced RBAC and a valid runtime config', async () => {
    const objects = await render(overlay);
    for (const object of objects) validate(object);

    const api = find(objects, 'Deployment', 'volundr-api') as Rendered & {
      spec: { replicas: number; template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
    };
    expect(api.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(find(objects, 'PodDisruptionBudget', 'volundr-api')).toBeDefined();
    const job = find(objects, 'Job', 'volundr-migrate') as Rendered & {
      spec: { template: { spec: { containers: { command: string[] }[] } } };
    };
    expect(job.spec.template.spec.containers[0]!.command).toEqual(['volundr', 'migrate']);
    expect(find(objects, 'HTTPRoute', 'volundr')).toBeDefined();

    // No cluster-wide grants; the session runtime's rules are confined to its namespace.
    expect(objects.filter((o) => o.kind.startsWith('Cluster'))).toEqual([]);
    const roles = objects.filter((o) => o.kind === 'Role') as (Rendered & {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    })[];
    for (const role of roles) {
      expect(role.metadata.namespace).toBe('volundr-sessions');
      for (const rule of role.rules) expect(rule.verbs).not.toContain('*');
    }
    const granted = (group: string, resource: string, verb: string) =>
      roles.some((r) =>
        r.rules.some((x) => x.apiGroups.includes(group) && x.resources.includes(resource) && x.verbs.includes(verb)),
      );
    const flux = overlay === 'flux';
    expect(granted('helm.toolkit.fluxcd.io', 'helmreleases', 'create')).toBe(flux);
    expect(granted('', 'pods', 'create')).toBe(!flux);
    expect(granted('', 'pods', 'watch')).toBe(true);
    expect(granted('', 'persistentvolumeclaims', 'create')).toBe(true);

    const configMap = find(objects, 'ConfigMap', 'volundr-config') as Rendered & { data: Record<string, string> };
    const config = parse(configMap.data['config.yaml']!) as {
      mode: string;
      adapters: Record<string, { use: string } & Record<string, unknown>>;
    };
    expect(config.mode).toBe('production');
    expect(config.adapters.podManager?.use).toBe(
      flux
        ? '@volundr/adapter-kubernetes/flux-pod-manager#fluxPodManager'
        : '@volundr/adapter-kubernetes/direct-pod-manager#kubernetesPodManager',
    );
    expect(await checkAdapterBlocks(config)).toBe(6);

    if (overlay === 'production-cerbos') {
      const env = api.spec.template.spec.containers[0]!.env;
      expect(env).toContainEqual({
        name: 'VOLUNDR__ADAPTERS__AUTHORIZATION__USE',
        value: '@volundr/adapter-authz/cerbos#cerbos',
      });
      const policies = find(objects, 'ConfigMap', 'volundr-cerbos-policies') as Rendered & {
        data: Record<string, string>;
      };
      expect(Object.keys(policies.data)).toContain('session.yaml');
    }
  });
});
