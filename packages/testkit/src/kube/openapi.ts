/**
 * Just enough OpenAPI for kubectl. kubectl ≥ 1.27 reads `/openapi/v3` to learn whether a resource's
 * POST/PATCH accept `fieldValidation`; when they do it leaves validation to the server (which
 * validates with kubernetes-models) instead of validating client-side against protobuf OpenAPI v2,
 * which is not served. Paths carry no schemas, so `kubectl apply` computes its patches from its
 * built-in types (strategic merge) or as JSON merge patches (custom resources), as it does when a
 * server publishes no schema.
 */
import { createHash } from 'node:crypto';
import { RESOURCES, type ResourceType } from './resource-catalog';

const WRITE_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
}));

const groupVersionPath = (apiVersion: string) => (apiVersion === 'v1' ? 'api/v1' : `apis/${apiVersion}`);
const apiVersions = () => [...new Set(RESOURCES.map((r) => r.apiVersion))];

function operation(r: ResourceType, action: 'post' | 'patch' | 'put') {
  return {
    operationId: `${action}${r.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
    parameters:
      action === 'patch'
        ? [...WRITE_PARAMETERS, { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }]
        : WRITE_PARAMETERS,
    responses: { '200': { description: 'OK' } },
  };
}

export function openApiV3Document(groupVersion: string): object | undefined {
  const served = RESOURCES.filter((r) => groupVersionPath(r.apiVersion) === groupVersion);
  if (served.length === 0) return undefined;
  const paths: Record<string, object> = {};
  for (const r of served) {
    const base = `/${groupVersionPath(r.apiVersion)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    paths[base] = { post: operation(r, 'post') };
    paths[`${base}/{name}`] = { put: operation(r, 'put'), patch: operation(r, 'patch') };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}

export function openApiV3Index() {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const apiVersion of apiVersions()) {
    const path = groupVersionPath(apiVersion);
    const hash = createHash('sha256')
      .update(JSON.stringify(openApiV3Document(path)))
      .digest('hex')
      .slice(0, 32)
      .toUpperCase();
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}
