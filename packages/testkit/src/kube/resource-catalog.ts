/**
 * The resources the emulator serves: one entry per (group, resource), with what discovery
 * reports about it and what the server does with it (status subresource, name rule, field
 * selectors, whether it is a built-in type or a custom resource).
 */
import type { NameRule } from './names';

export interface ResourceType {
  group: string;
  version: string;
  /** `v1` or `group/version` */
  apiVersion: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  /** `group/plural`, unique within the catalog. */
  key: string;
  statusSubresource: boolean;
  /** Built-in kinds accept strategic merge patch; custom resources answer 415 as real CRDs do. */
  builtIn: boolean;
  nameRule: NameRule;
  /** Whether DELETE answers with the object (pods, services…) or with a Status. */
  returnDeletedObject: boolean;
  /** Fields accepted in `fieldSelector`, beyond metadata.name / metadata.namespace. */
  fieldSelectors: readonly string[];
  /** The @kubernetes/client-node model describing the fields (unknown-field detection). */
  clientModel?: string;
}

type Spec = Omit<
  ResourceType,
  'apiVersion' | 'listKind' | 'key' | 'singular' | 'categories' | 'shortNames' | 'fieldSelectors'
> &
  Partial<Pick<ResourceType, 'shortNames' | 'categories' | 'fieldSelectors'>>;

const define = (spec: Spec): ResourceType => ({
  ...spec,
  apiVersion: spec.group ? `${spec.group}/${spec.version}` : spec.version,
  listKind: `${spec.kind}List`,
  key: `${spec.group}/${spec.plural}`,
  singular: spec.kind.toLowerCase(),
  shortNames: spec.shortNames ?? [],
  categories: spec.categories ?? [],
  fieldSelectors: ['metadata.name', ...(spec.namespaced ? ['metadata.namespace'] : []), ...(spec.fieldSelectors ?? [])],
});

const core = { group: '', version: 'v1', builtIn: true } as const;
const crd = { builtIn: false, nameRule: 'subdomain', returnDeletedObject: false, namespaced: true } as const;

export const RESOURCES: readonly ResourceType[] = [
  define({
    ...core,
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    statusSubresource: true,
    nameRule: 'label',
    returnDeletedObject: true,
    fieldSelectors: ['status.phase'],
    clientModel: 'V1Namespace',
  }),
  define({
    ...core,
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    statusSubresource: true,
    nameRule: 'subdomain',
    returnDeletedObject: true,
    fieldSelectors: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
    clientModel: 'V1Pod',
  }),
  define({
    ...core,
    kind: 'Service',
    plural: 'services',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    statusSubresource: true,
    nameRule: 'dns1035',
    returnDeletedObject: true,
    clientModel: 'V1Service',
  }),
  define({
    ...core,
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    namespaced: true,
    shortNames: ['pvc'],
    statusSubresource: true,
    nameRule: 'subdomain',
    returnDeletedObject: true,
    clientModel: 'V1PersistentVolumeClaim',
  }),
  define({
    ...core,
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
    statusSubresource: false,
    nameRule: 'subdomain',
    returnDeletedObject: false,
    fieldSelectors: ['type'],
    clientModel: 'V1Secret',
  }),
  define({
    ...core,
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
    shortNames: ['cm'],
    statusSubresource: false,
    nameRule: 'subdomain',
    returnDeletedObject: false,
    clientModel: 'V1ConfigMap',
  }),
  define({
    ...core,
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
    statusSubresource: false,
    nameRule: 'subdomain',
    returnDeletedObject: false,
    clientModel: 'V1ServiceAccount',
  }),
  define({
    ...core,
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    shortNames: ['ev'],
    statusSubresource: false,
    nameRule: 'subdomain',
    returnDeletedObject: false,
    fieldSelectors: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
    clientModel: 'CoreV1Event',
  }),
  define({
    group: 'networking.k8s.io',
    version: 'v1',
    builtIn: true,
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
    shortNames: ['netpol'],
    statusSubresource: false,
    nameRule: 'subdomain',
    returnDeletedObject: false,
    clientModel: 'V1NetworkPolicy',
  }),
  define({
    ...crd,
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'HTTPRoute',
    plural: 'httproutes',
    categories: ['gateway-api'],
    statusSubresource: true,
  }),
  define({
    ...crd,
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'Gateway',
    plural: 'gateways',
    shortNames: ['gtw'],
    categories: ['gateway-api'],
    statusSubresource: true,
  }),
  define({
    ...crd,
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    kind: 'HelmRelease',
    plural: 'helmreleases',
    shortNames: ['hr'],
    categories: ['all'],
    statusSubresource: true,
  }),
  define({
    ...crd,
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    kind: 'HelmRepository',
    plural: 'helmrepositories',
    shortNames: ['helmrepo'],
    categories: ['all'],
    statusSubresource: true,
  }),
  define({
    ...crd,
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    kind: 'GitRepository',
    plural: 'gitrepositories',
    shortNames: ['gitrepo'],
    categories: ['all'],
    statusSubresource: true,
  }),
  define({
    ...crd,
    group: 'source.toolkit.fluxcd.io',
    version: 'v1beta2',
    kind: 'OCIRepository',
    plural: 'ocirepositories',
    shortNames: ['ocirepo'],
    categories: ['all'],
    statusSubresource: true,
  }),
  define({
    ...crd,
    group: 'secrets-store.csi.x-k8s.io',
    version: 'v1',
    kind: 'SecretProviderClass',
    plural: 'secretproviderclasses',
    statusSubresource: false,
  }),
  define({
    ...crd,
    group: 'secrets.infisical.com',
    version: 'v1alpha1',
    kind: 'InfisicalSecret',
    plural: 'infisicalsecrets',
    statusSubresource: true,
  }),
  define({
    ...crd,
    group: 'gateway.envoyproxy.io',
    version: 'v1alpha1',
    kind: 'SecurityPolicy',
    plural: 'securitypolicies',
    statusSubresource: true,
  }),
];

const byKey = new Map(RESOURCES.map((r) => [r.key, r]));
const byGroupVersionPlural = new Map(RESOURCES.map((r) => [`${r.apiVersion}/${r.plural}`, r]));
const byApiVersionKind = new Map(RESOURCES.map((r) => [`${r.apiVersion}/${r.kind}`, r]));

export const resourceByPath = (apiVersion: string, plural: string) =>
  byGroupVersionPlural.get(`${apiVersion}/${plural}`);
export const resourceByKind = (apiVersion: string, kind: string) => byApiVersionKind.get(`${apiVersion}/${kind}`);
export const resourceByKey = (key: string) => byKey.get(key);

/** Accepts what a test would naturally write: `pods`, `Pod`, `po`, `helmreleases.helm.toolkit.fluxcd.io`. */
export function resolveResource(name: string): ResourceType {
  const [head, ...rest] = name.split('.');
  const group = rest.join('.');
  const lower = head!.toLowerCase();
  const found = RESOURCES.find(
    (r) =>
      (rest.length === 0 || r.group === group) &&
      (r.plural === lower || r.singular === lower || r.kind === head || r.shortNames.includes(lower)),
  );
  if (!found)
    throw new Error(`kube emulator: unknown resource "${name}"; served: ${RESOURCES.map((r) => r.plural).join(', ')}`);
  return found;
}

/** Group → versions served, in preference order (the first is preferred). */
export function servedGroups(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const r of RESOURCES) {
    if (!r.group) continue;
    const versions = groups.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    groups.set(r.group, versions);
  }
  return groups;
}
