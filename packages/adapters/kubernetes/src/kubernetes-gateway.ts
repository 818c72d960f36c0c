/**
 * The Gateway port on Kubernetes: the routes of a session under `/s/<id>/…` (chat and the
 * HTTP API to the broker, the terminal, the IDE) and the URLs browsers use. The HTTPRoute itself (and its
 * Envoy Gateway SecurityPolicy) is rendered from these routes by the pod manager or the session
 * chart, so it lives and dies with the session's pod; `removeRoutes` deletes any left behind.
 */
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { GatewayRoute, SessionEndpoints } from '@volundr/contracts/session-spec';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import { DomainError } from '@volundr/core/errors';
import type { Gateway } from '@volundr/core/sessions/ports/gateway';
import { z } from 'zod';
import { kubeFailure } from './kube-calls';
import { loadKubeConfig, ZKubeConnection } from './kube-connection';
import { ignoreNotFound, isNotFound } from './kube-errors';
import { LABELS, sessionKey } from './session-names';
import { ZSessionNamespaces } from './session-namespace';

export const ZKubernetesGatewayOptions = z.strictObject({
  ...ZKubeConnection.shape,
  ...ZSessionNamespaces.shape,
  /** Where browsers reach Volundr (`https://volundr.example.com`); absent: same-origin paths. */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Route the IDE (keep equal to `sessions.ide`). */
  ide: z.boolean().default(true),
});
export type KubernetesGatewayOptions = z.input<typeof ZKubernetesGatewayOptions>;

/** Path segments Gateway API accepts in a PathPrefix and every proxy passes unchanged. */
const SAFE_SEGMENT = /^[A-Za-z0-9._~-]{1,200}$/;

export function sessionRoutes(sessionId: string, ide: boolean): GatewayRoute[] {
  if (!SAFE_SEGMENT.test(sessionId))
    throw new DomainError('BAD_REQUEST', `Session id "${sessionId}" cannot be a URL path segment.`);
  const base = `/s/${sessionId}`;
  return [
    { name: 'chat', pathPrefix: `${base}/ws/chat`, container: 'skuld', port: 'http', websocket: true },
    // The broker's HTTP API (the session's diffs); it serves the `/s/<id>` prefix itself.
    { name: 'api', pathPrefix: `${base}/api`, container: 'skuld', port: 'http', websocket: false },
    { name: 'terminal', pathPrefix: `${base}/terminal`, container: 'terminal', port: 'http', websocket: true },
    ...(ide ? [{ name: 'ide', pathPrefix: `${base}/ide`, container: 'ide', port: 'http', websocket: true }] : []),
  ];
}

export function sessionEndpoints(sessionId: string, publicUrl: string | undefined, ide: boolean): SessionEndpoints {
  const origin = publicUrl ? publicUrl.replace(/\/+$/, '') : '';
  const wsOrigin = origin.replace(/^http/, 'ws');
  const base = `/s/${sessionId}`;
  return {
    chat: `${wsOrigin}${base}/ws/chat`,
    terminal: `${origin}${base}/terminal/`,
    code: ide ? `${origin}${base}/ide/` : null,
  };
}

const ROUTE_KINDS = [
  { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' },
  { group: 'gateway.envoyproxy.io', version: 'v1alpha1', plural: 'securitypolicies' },
];

export function createKubernetesGateway(
  input: KubernetesGatewayOptions,
  deps: { kubeConfig?: KubeConfig } = {},
): Gateway {
  const options = ZKubernetesGatewayOptions.parse(input);
  let custom: CustomObjectsApi | null = null;
  const api = () => {
    custom ??= (deps.kubeConfig ?? loadKubeConfig(options)).makeApiClient(CustomObjectsApi);
    return custom;
  };
  return {
    async ensureRoutes(session) {
      return {
        routes: sessionRoutes(session.sessionId, options.ide),
        endpoints: sessionEndpoints(session.sessionId, options.publicUrl, options.ide),
      };
    },
    async removeRoutes(sessionId) {
      const labelSelector = `${LABELS.session}=${sessionKey(sessionId)}`;
      for (const kind of ROUTE_KINDS) {
        let items: { metadata?: { name?: string; namespace?: string } }[];
        try {
          const list = (
            options.tenantNamespaces
              ? await api().listCustomObjectForAllNamespaces({ ...kind, labelSelector })
              : await api().listNamespacedCustomObject({ ...kind, namespace: options.namespace, labelSelector })
          ) as {
            items?: typeof items;
          };
          items = list.items ?? [];
        } catch (error) {
          // A cluster without Envoy Gateway has no SecurityPolicy kind: nothing to remove.
          if (isNotFound(error)) continue;
          throw kubeFailure(`list the routes of session ${sessionId}`, error);
        }
        for (const item of items) {
          const name = item.metadata?.name;
          const namespace = item.metadata?.namespace ?? options.namespace;
          if (!name) continue;
          await ignoreNotFound(() => api().deleteNamespacedCustomObject({ ...kind, namespace, name })).catch(
            (error) => {
              throw kubeFailure(`delete route ${namespace}/${name}`, error);
            },
          );
        }
      }
    },
  };
}

/** `{ use: "@volundr/adapter-kubernetes/kubernetes-gateway#kubernetesGateway", publicUrl }` */
export const kubernetesGateway = defineAdapter({
  port: 'gateway',
  options: ZKubernetesGatewayOptions,
  create: (options): Gateway => createKubernetesGateway(options),
});
