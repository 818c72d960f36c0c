/** Legacy discovery documents (/api, /apis, /api/v1, /apis/<group>/<version>) and /version. */
import { RESOURCES, servedGroups } from './resource-catalog';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const KUBE_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-volundr-emulator' };

export function versionInfo() {
  return {
    ...KUBE_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function coreVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function group(name: string, versions: string[]) {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0]! };
}

export function groupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...servedGroups()].map(([name, versions]) => group(name, versions)),
  };
}

export function apiGroup(name: string) {
  const versions = servedGroups().get(name);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...group(name, versions) } : undefined;
}

export function resourceList(apiVersion: string) {
  const served = RESOURCES.filter((r) => r.apiVersion === apiVersion);
  if (served.length === 0) return undefined;
  const resources: object[] = [];
  for (const r of served) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.kind === 'Namespace' ? VERBS.filter((v) => v !== 'deletecollection') : VERBS,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    });
    if (r.statusSubresource)
      resources.push({
        name: `${r.plural}/status`,
        singularName: '',
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['get', 'patch', 'update'],
      });
    if (r.kind === 'Pod' && r.group === '')
      resources.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersion, resources };
}
