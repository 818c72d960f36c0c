/**
 * Maps a request path to what it addresses: discovery documents, a collection (all namespaces or
 * one), an object, or an object's subresource. Legacy `/watch/` paths are accepted too.
 */
import { type ResourceType, resourceByPath } from './resource-catalog';

export type Route =
  | { kind: 'root' | 'version' | 'health' | 'api' | 'apis' | 'openapi-v2' | 'openapi-v3' }
  | { kind: 'openapi-v3-doc'; groupVersion: string }
  | { kind: 'group'; group: string }
  | { kind: 'resources'; apiVersion: string }
  | {
      kind: 'resource';
      resource: ResourceType;
      namespace?: string;
      name?: string;
      subresource?: string;
      legacyWatch: boolean;
    }
  | { kind: 'unknown' };

function resourcePath(apiVersion: string, rest: string[]): Route {
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const namespaced = resourceByPath(apiVersion, rest[2]!);
    if (namespaced?.namespaced && rest.length <= 5)
      return {
        kind: 'resource',
        resource: namespaced,
        namespace: rest[1]!,
        ...(rest[3] !== undefined ? { name: rest[3] } : {}),
        ...(rest[4] !== undefined ? { subresource: rest[4] } : {}),
        legacyWatch,
      };
  }
  const resource = rest[0] ? resourceByPath(apiVersion, rest[0]) : undefined;
  if (!resource || rest.length > 3) return { kind: 'unknown' };
  return {
    kind: 'resource',
    resource,
    ...(rest[1] !== undefined ? { name: rest[1] } : {}),
    ...(rest[2] !== undefined ? { subresource: rest[2] } : {}),
    legacyWatch,
  };
}

export function parseRoute(pathname: string): Route {
  const segments = pathname
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => decodeURIComponent(s));
  if (segments.length === 0) return { kind: 'root' };
  const [head, ...rest] = segments;
  switch (head) {
    case 'version':
      return segments.length === 1 ? { kind: 'version' } : { kind: 'unknown' };
    case 'healthz':
    case 'livez':
    case 'readyz':
      return { kind: 'health' };
    case 'openapi':
      if (rest[0] === 'v2' && rest.length === 1) return { kind: 'openapi-v2' };
      if (rest[0] === 'v3' && rest.length === 1) return { kind: 'openapi-v3' };
      if (rest[0] === 'v3') return { kind: 'openapi-v3-doc', groupVersion: rest.slice(1).join('/') };
      return { kind: 'unknown' };
    case 'api':
      if (rest.length === 0) return { kind: 'api' };
      if (rest[0] !== 'v1') return { kind: 'unknown' };
      if (rest.length === 1) return { kind: 'resources', apiVersion: 'v1' };
      return resourcePath('v1', rest.slice(1));
    case 'apis':
      if (rest.length === 0) return { kind: 'apis' };
      if (rest.length === 1) return { kind: 'group', group: rest[0]! };
      if (rest.length === 2) return { kind: 'resources', apiVersion: `${rest[0]}/${rest[1]}` };
      return resourcePath(`${rest[0]}/${rest[1]}`, rest.slice(2));
    default:
      return { kind: 'unknown' };
  }
}
