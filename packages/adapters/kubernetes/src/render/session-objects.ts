/**
 * The Kubernetes objects of one session start, rendered from the SessionSpec: the Pod (broker,
 * terminal, IDE; init containers that clone and run setup scripts), its Service, the HTTPRoute
 * and Envoy Gateway SecurityPolicy, the NetworkPolicy and a ConfigMap that owns them all. Pure
 * functions: the direct pod manager creates what they return, and the session chart
 * (deploy/charts/volundr-session) renders the same objects from the same values.
 */
import type {
  V1ConfigMap,
  V1Container,
  V1EnvVar,
  V1NetworkPolicyEgressRule,
  V1NetworkPolicyPeer,
  V1Pod,
  V1SecurityContext,
  V1Service,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type { Container, EnvVar, Volume, VolumeMount } from '@volundr/contracts/session-spec';
import { DomainError } from '@volundr/core/errors';
import { ANNOTATIONS, instanceName, LABELS, sessionKey, sessionMetadata } from '../session-names';
import {
  CREDENTIALS_MOUNT,
  gitCredentialKey,
  REPORT_TOKEN_KEY,
  SETUP_MOUNT,
  type SessionRenderInput,
} from './session-render-input';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  };
  [key: string]: unknown;
}

export interface SessionObjects {
  /** Owns every other object of the start (deleting it collects them); carries the setup script. */
  owner: V1ConfigMap & KubeObject;
  pod: V1Pod & KubeObject;
  service: V1Service & KubeObject;
  httpRoute: KubeObject | null;
  securityPolicy: KubeObject | null;
  /** Wire format (`from`, which client-node's typed model calls `_from`): created as a plain object. */
  networkPolicy: KubeObject | null;
}

/** The labels every object of this start carries (selectors use session + attempt). */
export function instanceLabels(input: SessionRenderInput, component: string): Record<string, string> {
  return {
    ...sessionMetadata(input.spec.session).labels,
    [LABELS.runtime]: input.runtimeLabel,
    [LABELS.attempt]: String(input.attempt.number),
    [LABELS.component]: component,
  };
}

export const selectorLabels = (input: SessionRenderInput) => ({
  [LABELS.session]: sessionKey(input.spec.session.id),
  [LABELS.attempt]: String(input.attempt.number),
});

function meta(input: SessionRenderInput, component: string, name?: string) {
  return {
    name: name ?? instanceName(input.spec.session.id, input.attempt.number),
    namespace: input.namespace,
    labels: instanceLabels(input, component),
    annotations: { ...sessionMetadata(input.spec.session).annotations, [ANNOTATIONS.attemptId]: input.attempt.id },
  };
}

// ---- pod ------------------------------------------------------------------------------------

function toVolume(volume: Volume, sessionId: string): V1Volume {
  const s = volume.source;
  switch (s.kind) {
    case 'persistentVolumeClaim':
      return {
        name: volume.name,
        persistentVolumeClaim: { claimName: s.claimName, ...(s.readOnly ? { readOnly: true } : {}) },
      };
    case 'emptyDir':
      return { name: volume.name, emptyDir: s.sizeLimit ? { sizeLimit: s.sizeLimit } : {} };
    case 'secret':
      return { name: volume.name, secret: { secretName: s.secretName } };
    case 'configMap':
      return { name: volume.name, configMap: { name: s.name } };
    case 'csi':
      return {
        name: volume.name,
        csi: {
          driver: s.driver,
          ...(s.readOnly ? { readOnly: true } : {}),
          ...(Object.keys(s.attributes).length ? { volumeAttributes: s.attributes } : {}),
        },
      };
    case 'directory':
      // A host directory would let a session reach the node's files: never on Kubernetes.
      throw new DomainError(
        'SPEC_INVALID',
        `Session ${sessionId}: volume "${volume.name}" is a host directory (${s.path}), which the Kubernetes runtime does not mount; configure the Kubernetes storage adapter (PVCs).`,
      );
  }
}

const toEnv = (e: EnvVar): V1EnvVar =>
  e.secretRef
    ? { name: e.name, valueFrom: { secretKeyRef: { name: e.secretRef.name, key: e.secretRef.key } } }
    : { name: e.name, value: e.value ?? '' };

/** Pod-wide entries first, a container's own entry replacing the pod's of the same name. */
function mergeByName<T extends { name: string }>(pod: readonly T[], own: readonly T[]): T[] {
  const ownNames = new Set(own.map((e) => e.name));
  return [...pod.filter((e) => !ownNames.has(e.name)), ...own];
}

function mergeMounts(pod: readonly VolumeMount[], own: readonly VolumeMount[]): V1VolumeMount[] {
  const ownPaths = new Set(own.map((m) => m.mountPath));
  return [...pod.filter((m) => !ownPaths.has(m.mountPath)), ...own].map((m) => ({
    name: m.name,
    mountPath: m.mountPath,
    ...(m.readOnly ? { readOnly: true } : {}),
    ...(m.subPath ? { subPath: m.subPath } : {}),
  }));
}

export const restrictedContainerSecurity = (runAsNonRoot: boolean): V1SecurityContext => ({
  allowPrivilegeEscalation: false,
  privileged: false,
  runAsNonRoot,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
});

/** The session's resources go to the broker (the agent runs there); terminal and IDE get the service defaults. */
function containerResources(input: SessionRenderInput, container: Container) {
  const { runtime } = input;
  const own = container.resources ?? (container.role === 'broker' ? input.spec.resources : undefined);
  if (!own) {
    if (container.role === 'terminal' || container.role === 'ide') return runtime.serviceResources;
    return undefined;
  }
  const limits: Record<string, string> = {};
  if (own.limits.cpu) limits.cpu = own.limits.cpu;
  if (own.limits.memory) limits.memory = own.limits.memory;
  if (own.limits.gpu) limits[runtime.gpuResource] = String(own.limits.gpu);
  return {
    ...(Object.keys(own.requests).length ? { requests: { ...own.requests } } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  };
}

function brokerEnv(input: SessionRenderInput, port: number): V1EnvVar[] {
  const { spec, runtime } = input;
  const { oidc } = runtime.broker;
  // The broker reports only with the start's token, to where the SessionSecrets port says.
  const apiUrl = input.credentials?.reportToken ? input.credentials.apiUrl : null;
  return [
    { name: 'SKULD_SESSION_ID', value: spec.session.id },
    { name: 'SKULD_OWNER_ID', value: spec.session.ownerId },
    { name: 'SKULD_TENANT_ID', value: spec.session.tenantId },
    { name: 'SKULD_WORKSPACE_DIR', value: spec.workspace.mountPath },
    { name: 'SKULD_HOST', value: '0.0.0.0' },
    { name: 'SKULD_PORT', value: String(port) },
    { name: 'SKULD_OIDC_ISSUER', value: oidc.issuer },
    { name: 'SKULD_OIDC_AUDIENCE', value: oidc.audience },
    ...(oidc.jwksUrl ? [{ name: 'SKULD_OIDC_JWKS_URL', value: oidc.jwksUrl }] : []),
    ...(oidc.claimsPreset ? [{ name: 'SKULD_OIDC_CLAIMS_PRESET', value: oidc.claimsPreset }] : []),
    ...(oidc.defaultTenant ? [{ name: 'SKULD_OIDC_DEFAULT_TENANT', value: oidc.defaultTenant }] : []),
    { name: 'SKULD_TRANSPORT', value: runtime.broker.transports[spec.session.cli] },
    { name: 'SKULD_MODEL', value: spec.session.model },
    { name: 'SKULD_LOG_LEVEL', value: runtime.broker.logLevel },
    ...(spec.agent.systemPrompt ? [{ name: 'SKULD_SYSTEM_PROMPT', value: spec.agent.systemPrompt }] : []),
    ...(apiUrl && input.credentials
      ? [
          { name: 'SKULD_API_URL', value: apiUrl },
          {
            name: 'SKULD_REPORT_TOKEN',
            valueFrom: { secretKeyRef: { name: input.credentials.secretName, key: REPORT_TOKEN_KEY } },
          },
        ]
      : []),
  ];
}

export const terminalBasePath = (sessionId: string) => `/s/${sessionId}/terminal`;

/** What each role runs in the session image when the spec gives no command. */
function roleCommand(
  input: SessionRenderInput,
  container: Container,
  port: number,
): { command?: string[]; args?: string[] } {
  const { spec } = input;
  switch (container.role) {
    case 'broker':
      return { command: ['skuld'] };
    case 'terminal': {
      const shell = spec.agent.terminalRestricted ? ['/bin/bash', '--restricted'] : ['/bin/bash', '-l'];
      return {
        command: ['ttyd'],
        args: ['--port', String(port), '--base-path', terminalBasePath(spec.session.id), '--writable', ...shell],
      };
    }
    case 'ide':
      return {
        command: ['code-server'],
        args: [
          '--auth',
          'none',
          '--bind-addr',
          `0.0.0.0:${port}`,
          '--disable-telemetry',
          '--disable-update-check',
          spec.workspace.mountPath,
        ],
      };
    case 'sidecar':
      return {};
  }
}

function sessionContainer(input: SessionRenderInput, container: Container): V1Container {
  const { spec, runtime } = input;
  const port = container.ports[0]?.port ?? 0;
  const role = roleCommand(input, container, port);
  const command = container.command ?? role.command;
  const args = container.args ?? (container.command ? undefined : role.args);
  const home = spec.home.enabled && spec.home.mountPath ? spec.home.mountPath : spec.workspace.mountPath;
  const env = mergeByName(
    [
      { name: 'HOME', value: home },
      { name: 'VOLUNDR_WORKSPACE', value: spec.workspace.mountPath },
    ],
    mergeByName(spec.pod.env.map(toEnv), container.env.map(toEnv)),
  );
  const resources = containerResources(input, container);
  const readiness = container.readiness;
  return {
    name: container.name,
    image: container.image ?? runtime.image,
    imagePullPolicy: runtime.imagePullPolicy,
    ...(command ? { command } : {}),
    ...(args ? { args } : {}),
    workingDir: container.workingDir ?? spec.workspace.mountPath,
    env: container.role === 'broker' ? mergeByName(env, brokerEnv(input, port)) : env,
    ports: container.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
    ...(readiness
      ? {
          // ttyd answers only below its base path: the terminal is ready when it accepts connections.
          readinessProbe:
            container.role === 'terminal'
              ? { tcpSocket: { port: readiness.port }, periodSeconds: 5 }
              : { httpGet: { path: readiness.path, port: readiness.port }, periodSeconds: 5 },
        }
      : {}),
    ...(resources ? { resources } : {}),
    volumeMounts: mergeMounts(spec.pod.volumeMounts, container.volumeMounts),
    securityContext: restrictedContainerSecurity(spec.isolation?.runAsNonRoot ?? true),
  };
}

/** Clones every repository of the spec; credentials come from files, never from the URL. */
function cloneContainer(input: SessionRenderInput): V1Container | null {
  const { spec, runtime } = input;
  const repos = spec.git?.repos ?? [];
  if (repos.length === 0) return null;
  const env: V1EnvVar[] = [
    { name: 'HOME', value: '/tmp' },
    { name: 'VOLUNDR_WORKSPACE', value: spec.workspace.mountPath },
    { name: 'VOLUNDR_GIT_COUNT', value: String(repos.length) },
  ];
  repos.forEach((repo, i) => {
    env.push(
      { name: `VOLUNDR_GIT_${i}_URL`, value: repo.cloneUrl },
      { name: `VOLUNDR_GIT_${i}_BRANCH`, value: repo.branch },
      { name: `VOLUNDR_GIT_${i}_BASE`, value: repo.baseBranch ?? '' },
      { name: `VOLUNDR_GIT_${i}_PATH`, value: repo.path },
      {
        name: `VOLUNDR_GIT_${i}_CREDENTIAL`,
        value: repo.credential && input.credentials ? `${CREDENTIALS_MOUNT}/${gitCredentialKey(i)}` : '',
      },
    );
  });
  const workspaceMount = { name: spec.workspace.volume, mountPath: spec.workspace.mountPath };
  return {
    name: 'git-clone',
    image: runtime.image,
    imagePullPolicy: runtime.imagePullPolicy,
    command: ['volundr-git-clone'],
    env,
    volumeMounts: [
      workspaceMount,
      ...(input.credentials ? [{ name: 'volundr-credentials', mountPath: CREDENTIALS_MOUNT, readOnly: true }] : []),
    ],
    securityContext: restrictedContainerSecurity(spec.isolation?.runAsNonRoot ?? true),
  };
}

/** Runs the setup scripts (from the owner ConfigMap) in the cloned workspace, with the session's env. */
function setupContainer(input: SessionRenderInput): V1Container | null {
  const { spec, runtime } = input;
  if (spec.agent.setupScripts.length === 0) return null;
  const home = spec.home.enabled && spec.home.mountPath ? spec.home.mountPath : spec.workspace.mountPath;
  return {
    name: 'setup',
    image: runtime.image,
    imagePullPolicy: runtime.imagePullPolicy,
    command: ['/bin/bash', '-eu', `${SETUP_MOUNT}/setup.sh`],
    workingDir: spec.workspace.mountPath,
    env: mergeByName(
      [
        { name: 'HOME', value: home },
        { name: 'VOLUNDR_WORKSPACE', value: spec.workspace.mountPath },
      ],
      spec.pod.env.map(toEnv),
    ),
    volumeMounts: [
      ...mergeMounts(spec.pod.volumeMounts, []),
      { name: 'volundr-setup', mountPath: SETUP_MOUNT, readOnly: true },
    ],
    securityContext: restrictedContainerSecurity(spec.isolation?.runAsNonRoot ?? true),
  };
}

/** The setup scripts as one bash file: each runs in a subshell from the workspace root, in order. */
export function setupScript(scripts: readonly string[]): string {
  return scripts.map((script, i) => `# setup script ${i + 1} of ${scripts.length}\n(\n${script}\n)\n`).join('\n');
}

export function renderPod(input: SessionRenderInput): V1Pod & KubeObject {
  const { spec, runtime } = input;
  const metadata = meta(input, 'session');
  const runAsNonRoot = spec.isolation?.runAsNonRoot ?? true;
  const volumes: V1Volume[] = spec.pod.volumes.map((v) => toVolume(v, spec.session.id));
  if (input.credentials) {
    volumes.push({
      name: 'volundr-credentials',
      secret: { secretName: input.credentials.secretName, defaultMode: 0o440 },
    });
  }
  if (spec.agent.setupScripts.length > 0) {
    volumes.push({ name: 'volundr-setup', configMap: { name: metadata.name, defaultMode: 0o444 } });
  }
  const initContainers = [cloneContainer(input), setupContainer(input)].filter((c): c is V1Container => c !== null);
  const serviceAccountName = spec.pod.serviceAccountName ?? runtime.serviceAccountName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...metadata,
      labels: { ...spec.pod.labels, ...metadata.labels },
      annotations: { ...spec.pod.annotations, ...metadata.annotations },
    },
    spec: {
      ...(serviceAccountName ? { serviceAccountName } : {}),
      automountServiceAccountToken: runtime.automountServiceAccountToken,
      enableServiceLinks: false,
      restartPolicy: 'Always',
      securityContext: {
        runAsNonRoot,
        ...(runAsNonRoot ? { runAsUser: runtime.user.uid, runAsGroup: runtime.user.gid } : {}),
        fsGroup: runtime.user.gid,
        fsGroupChangePolicy: 'OnRootMismatch',
        seccompProfile: { type: 'RuntimeDefault' },
      },
      ...(runtime.imagePullSecrets.length
        ? { imagePullSecrets: runtime.imagePullSecrets.map((name) => ({ name })) }
        : {}),
      ...(Object.keys(spec.pod.nodeSelector).length ? { nodeSelector: spec.pod.nodeSelector } : {}),
      ...(spec.pod.tolerations.length ? { tolerations: spec.pod.tolerations } : {}),
      ...(spec.pod.runtimeClassName ? { runtimeClassName: spec.pod.runtimeClassName } : {}),
      ...(initContainers.length ? { initContainers } : {}),
      containers: spec.pod.containers.map((c) => sessionContainer(input, c)),
      volumes,
    },
  };
}

// ---- service, route, policies ---------------------------------------------------------------

export function renderService(input: SessionRenderInput): V1Service & KubeObject {
  const ports = input.spec.pod.containers.flatMap((c) => c.ports);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(input, 'service'),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(input),
      ports: ports.map((p) => ({ name: `tcp-${p.port}`, port: p.port, targetPort: p.port, protocol: 'TCP' })),
    },
  };
}

/** Host names of the route: configured, else the hosts of absolute endpoint URLs. */
export function routeHostnames(input: SessionRenderInput): string[] {
  if (input.runtime.gateway.hostnames.length) return input.runtime.gateway.hostnames;
  const endpoints = input.spec.gateway?.endpoints;
  const hosts = new Set<string>();
  for (const url of [endpoints?.chat, endpoints?.code, endpoints?.terminal]) {
    if (url && /^[a-z]+:\/\//.test(url)) hosts.add(new URL(url).hostname);
  }
  return [...hosts].sort();
}

export function renderHttpRoute(input: SessionRenderInput): KubeObject | null {
  const { spec, runtime } = input;
  const routes = spec.gateway?.routes ?? [];
  if (routes.length === 0 || runtime.gateway.parentRefs.length === 0) return null;
  const metadata = meta(input, 'route');
  const hostnames = routeHostnames(input);
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata,
    spec: {
      parentRefs: runtime.gateway.parentRefs.map((ref) => ({
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: ref.name,
        ...(ref.namespace ? { namespace: ref.namespace } : {}),
        ...(ref.sectionName ? { sectionName: ref.sectionName } : {}),
      })),
      ...(hostnames.length ? { hostnames } : {}),
      rules: routes.map((route) => {
        const container = spec.pod.containers.find((c) => c.name === route.container);
        const port = container?.ports.find((p) => p.name === route.port)?.port ?? 0;
        const prefix = route.pathPrefix.replace(/\/+$/, '') || '/';
        return {
          matches: [{ path: { type: 'PathPrefix', value: prefix } }],
          // code-server has no base path: the IDE sees its prefix stripped (the broker and ttyd know theirs).
          ...(container?.role === 'ide'
            ? {
                filters: [
                  { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
                ],
              }
            : {}),
          backendRefs: [{ group: '', kind: 'Service', name: metadata.name, port }],
        };
      }),
    },
  };
}

export function renderSecurityPolicy(input: SessionRenderInput): KubeObject | null {
  const jwt = input.runtime.gateway.jwt;
  const route = renderHttpRoute(input);
  if (!jwt || !route) return null;
  return {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'SecurityPolicy',
    metadata: meta(input, 'route-policy'),
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: route.metadata.name }],
      jwt: {
        providers: [
          {
            name: 'volundr',
            issuer: jwt.issuer,
            audiences: jwt.audiences,
            remoteJWKS: { uri: jwt.jwksUri },
            claimToHeaders: [{ header: 'x-volundr-subject', claim: 'sub' }],
            extractFrom: {
              headers: [{ name: 'Authorization', valuePrefix: 'Bearer ' }],
              cookies: [jwt.cookie],
              params: [jwt.queryParam],
            },
          },
        ],
      },
      ...(jwt.ownerClaim
        ? {
            authorization: {
              defaultAction: 'Deny',
              rules: [
                {
                  name: 'session-owner',
                  action: 'Allow',
                  principal: {
                    jwt: {
                      provider: 'volundr',
                      claims: [{ name: jwt.ownerClaim, values: [input.spec.session.ownerId] }],
                    },
                  },
                },
              ],
            },
          }
        : {}),
    },
  };
}

function egressRule(rule: SessionRenderInput['runtime']['networkPolicy']['egress'][number]): V1NetworkPolicyEgressRule {
  const ports = rule.ports.map((p) => ({ port: p.port, protocol: p.protocol }));
  let peer: V1NetworkPolicyPeer;
  if ('cidr' in rule) peer = { ipBlock: { cidr: rule.cidr, ...(rule.except.length ? { except: rule.except } : {}) } };
  else
    peer = {
      ...(rule.namespaceSelector ? { namespaceSelector: { matchLabels: rule.namespaceSelector } } : {}),
      ...(rule.podSelector ? { podSelector: { matchLabels: rule.podSelector } } : {}),
    };
  return { to: [peer], ...(ports.length ? { ports } : {}) };
}

/** Ingress only from the gateway's proxies, on the session's ports; egress only to the allow-list (and DNS). */
export function renderNetworkPolicy(input: SessionRenderInput): KubeObject | null {
  const { spec, runtime } = input;
  if ((spec.isolation?.networkPolicy ?? 'session') === 'none') return null;
  const { gatewaySelector, dns, egress } = runtime.networkPolicy;
  const ports = spec.pod.containers.flatMap((c) => c.ports).map((p) => ({ port: p.port, protocol: 'TCP' }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(input, 'network-policy'),
    spec: {
      podSelector: { matchLabels: selectorLabels(input) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: gatewaySelector.namespaceSelector },
              podSelector: { matchLabels: gatewaySelector.podSelector },
            },
          ],
          ports,
        },
      ],
      egress: [
        ...(dns
          ? [
              {
                to: [
                  {
                    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                    podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                  },
                ],
                ports: [
                  { port: 53, protocol: 'UDP' },
                  { port: 53, protocol: 'TCP' },
                ],
              },
            ]
          : []),
        ...egress.map(egressRule),
      ],
    },
  };
}

export function renderOwner(input: SessionRenderInput): V1ConfigMap & KubeObject {
  const scripts = input.spec.agent.setupScripts;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(input, 'session-owner'),
    data: {
      'attempt-id': input.attempt.id,
      ...(scripts.length ? { 'setup.sh': setupScript(scripts) } : {}),
    },
  };
}

export function renderSessionObjects(input: SessionRenderInput): SessionObjects {
  return {
    owner: renderOwner(input),
    pod: renderPod(input),
    service: renderService(input),
    httpRoute: renderHttpRoute(input),
    securityPolicy: renderSecurityPolicy(input),
    networkPolicy: renderNetworkPolicy(input),
  };
}
