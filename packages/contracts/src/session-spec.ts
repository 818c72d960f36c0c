/**
 * SessionSpec: what the contributor pipeline produces for one start of a session and what a
 * PodManager interprets (local processes or a Kubernetes pod). It never holds a secret value:
 * secrets appear only as references (secretRef, secret/CSI volumes, credential names).
 */
import { z } from 'zod';
import { ZCliTool, ZModelId } from './models';
import { ZCpuQuantity, ZEnvName, ZMcpServer, ZMemoryQuantity, ZSetupScript } from './profiles';
import { ZBranchName, ZWorkspacePath } from './templates';

/** A DNS-1123 label: the names of containers, volumes and routes. */
export const ZSpecName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'a DNS-1123 label (lower-case letters, digits, "-")');

export const ZAbsolutePath = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^\//, 'an absolute path')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".."');

/** Where a browser or client reaches a service: an absolute URL or a same-origin path. */
export const ZEndpoint = z
  .string()
  .max(2000)
  .refine(
    (v) => v.startsWith('/') || /^(https?|wss?):\/\/[^\s]+$/.test(v),
    'an http(s)/ws(s) URL or a path starting with "/"',
  );

export const ZSessionEndpoints = z.strictObject({
  chat: ZEndpoint.nullable(),
  code: ZEndpoint.nullable(),
  terminal: ZEndpoint.nullable(),
});
export type SessionEndpoints = z.infer<typeof ZSessionEndpoints>;

export const ZSecretKeyRef = z.strictObject({
  name: z.string().min(1).max(253),
  key: z.string().min(1).max(253),
});

export const ZEnvVar = z
  .strictObject({
    name: ZEnvName,
    value: z.string().max(32_768).optional(),
    secretRef: ZSecretKeyRef.optional(),
  })
  .refine((e) => (e.value === undefined) !== (e.secretRef === undefined), 'exactly one of value or secretRef');
export type EnvVar = z.infer<typeof ZEnvVar>;

export const ZVolumeMount = z.strictObject({
  name: ZSpecName,
  mountPath: ZAbsolutePath,
  readOnly: z.boolean().optional(),
  subPath: ZWorkspacePath.optional(),
});
export type VolumeMount = z.infer<typeof ZVolumeMount>;

export const ZVolumeSource = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('persistentVolumeClaim'),
    claimName: z.string().min(1).max(253),
    readOnly: z.boolean().optional(),
  }),
  /** A directory on the host (local runtime; hostPath on Kubernetes). */
  z.strictObject({ kind: z.literal('directory'), path: ZAbsolutePath, readOnly: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('emptyDir'), sizeLimit: ZMemoryQuantity.optional() }),
  z.strictObject({ kind: z.literal('secret'), secretName: z.string().min(1).max(253) }),
  z.strictObject({ kind: z.literal('configMap'), name: z.string().min(1).max(253) }),
  z.strictObject({
    kind: z.literal('csi'),
    driver: z.string().min(1).max(253),
    readOnly: z.boolean().optional(),
    attributes: z.record(z.string().max(253), z.string().max(4000)).default({}),
  }),
]);
export type VolumeSource = z.infer<typeof ZVolumeSource>;

export const ZVolume = z.strictObject({ name: ZSpecName, source: ZVolumeSource });
export type Volume = z.infer<typeof ZVolume>;

export const ZContainerPort = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(15)
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'a port name (≤15 lower-case letters, digits, "-")'),
  port: z.int().min(1).max(65_535),
});

export const ZComputeResources = z.strictObject({
  requests: z.strictObject({ cpu: ZCpuQuantity.optional(), memory: ZMemoryQuantity.optional() }).default({}),
  limits: z
    .strictObject({
      cpu: ZCpuQuantity.optional(),
      memory: ZMemoryQuantity.optional(),
      gpu: z.int().min(0).max(16).optional(),
    })
    .default({}),
});
export type ComputeResources = z.infer<typeof ZComputeResources>;

/** What a service is for; the local runtime maps roles to the processes it knows how to run. */
export const ZContainerRole = z.enum(['broker', 'terminal', 'ide', 'sidecar']);

export const ZContainer = z.strictObject({
  name: ZSpecName,
  role: ZContainerRole,
  image: z.string().min(1).max(500).optional(),
  command: z.array(z.string().max(4000)).max(100).optional(),
  args: z.array(z.string().max(4000)).max(200).optional(),
  workingDir: ZAbsolutePath.optional(),
  env: z.array(ZEnvVar).max(500).default([]),
  volumeMounts: z.array(ZVolumeMount).max(100).default([]),
  ports: z.array(ZContainerPort).max(20).default([]),
  /** HTTP readiness check: GET `path` on the named port answers 2xx. */
  readiness: z.strictObject({ path: z.string().regex(/^\//).max(500), port: z.string().min(1).max(15) }).optional(),
  resources: ZComputeResources.optional(),
});
export type Container = z.infer<typeof ZContainer>;

export const ZToleration = z.strictObject({
  key: z.string().max(253).optional(),
  operator: z.enum(['Equal', 'Exists']).optional(),
  value: z.string().max(253).optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
});

const ZLabelMap = z.record(z.string().min(1).max(317), z.string().max(63));
const ZAnnotationMap = z.record(z.string().min(1).max(317), z.string().max(65_536));

function uniqueBy<T>(items: readonly T[], key: (item: T) => string, path: (string | number)[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [...path, index], message: `duplicate "${k}"` });
    seen.add(k);
  });
}

export const ZPodSpec = z
  .strictObject({
    containers: z.array(ZContainer).min(1).max(20),
    volumes: z.array(ZVolume).max(100).default([]),
    /** Mounted into every container. */
    volumeMounts: z.array(ZVolumeMount).max(100).default([]),
    /** Set in every container (a container's own env wins for the same name). */
    env: z.array(ZEnvVar).max(500).default([]),
    labels: ZLabelMap.default({}),
    annotations: ZAnnotationMap.default({}),
    nodeSelector: z.record(z.string().max(317), z.string().max(63)).default({}),
    tolerations: z.array(ZToleration).max(50).default([]),
    runtimeClassName: z.string().min(1).max(253).optional(),
    serviceAccountName: z.string().min(1).max(253).optional(),
  })
  .superRefine((pod, ctx) => {
    uniqueBy(pod.containers, (c) => c.name, ['containers'], ctx);
    uniqueBy(pod.volumes, (v) => v.name, ['volumes'], ctx);
    uniqueBy(pod.env, (e) => e.name, ['env'], ctx);
    uniqueBy(pod.volumeMounts, (m) => m.mountPath, ['volumeMounts'], ctx);
    const volumes = new Set(pod.volumes.map((v) => v.name));
    const check = (mounts: readonly { name: string }[], path: (string | number)[]) =>
      mounts.forEach((m, i) => {
        if (!volumes.has(m.name))
          ctx.addIssue({ code: 'custom', path: [...path, i, 'name'], message: `mounts undeclared volume "${m.name}"` });
      });
    check(pod.volumeMounts, ['volumeMounts']);
    pod.containers.forEach((c, i) => {
      check(c.volumeMounts, ['containers', i, 'volumeMounts']);
      uniqueBy(c.env, (e) => e.name, ['containers', i, 'env'], ctx);
      if (c.readiness && !c.ports.some((p) => p.name === c.readiness?.port))
        ctx.addIssue({
          code: 'custom',
          path: ['containers', i, 'readiness', 'port'],
          message: `names no port of container "${c.name}"`,
        });
    });
  });
export type PodSpec = z.infer<typeof ZPodSpec>;

/** A clone URL must never carry credentials: they come from `credential` at clone time. */
export const ZCloneUrl = z
  .string()
  .min(1)
  .max(2000)
  .refine(
    // A token hides in the user part of an http(s) URL, or as a password in any URL;
    // `ssh://git@host/...` and `git@host:org/repo` name a user, not a secret.
    (url) => !/^https?:\/\/[^/@]*@/i.test(url) && !/^[a-z][a-z0-9+.-]*:\/\/[^/@:]*:[^/@]*@/i.test(url),
    'must not contain credentials (user or token)',
  );

export const ZGitClone = z.strictObject({
  /** The repository as the user named it (for display and PRs). */
  repoUrl: z.string().min(1).max(500),
  cloneUrl: ZCloneUrl,
  branch: ZBranchName,
  baseBranch: ZBranchName.optional(),
  /** Where inside the workspace; `.` is the workspace root (the session's source). */
  path: z.union([z.literal('.'), ZWorkspacePath]),
  /** The secret holding what the git credential helper needs, never the token itself. */
  credential: ZSecretKeyRef.nullable(),
});
export type GitClone = z.infer<typeof ZGitClone>;

export const ZGatewayRoute = z.strictObject({
  name: ZSpecName,
  pathPrefix: z.string().regex(/^\//).max(500),
  container: ZSpecName,
  port: z.string().min(1).max(15),
  websocket: z.boolean().default(false),
});
export type GatewayRoute = z.infer<typeof ZGatewayRoute>;

export const ZSessionSpec = z
  .strictObject({
    session: z.strictObject({
      id: z.string().min(1).max(255),
      name: z.string().min(1).max(63),
      ownerId: z.string().min(1).max(255),
      tenantId: z.string().min(1).max(255),
      model: ZModelId,
      cli: ZCliTool,
    }),
    workspace: z.strictObject({ volume: ZSpecName, mountPath: ZAbsolutePath }),
    home: z
      .strictObject({ enabled: z.boolean(), volume: ZSpecName.optional(), mountPath: ZAbsolutePath.optional() })
      .refine((h) => !h.enabled || (h.volume !== undefined && h.mountPath !== undefined), {
        message: 'an enabled home needs a volume and a mountPath',
      }),
    git: z.strictObject({ repos: z.array(ZGitClone).min(1).max(21) }).optional(),
    agent: z.strictObject({
      systemPrompt: z.string().max(100_000).optional(),
      initialPrompt: z.string().max(100_000).optional(),
      mcpServers: z.array(ZMcpServer).max(100).default([]),
      setupScripts: z.array(ZSetupScript).max(100).default([]),
      terminalRestricted: z.boolean().default(false),
    }),
    gateway: z
      .strictObject({ routes: z.array(ZGatewayRoute).max(20).default([]), endpoints: ZSessionEndpoints })
      .optional(),
    resources: ZComputeResources.optional(),
    isolation: z
      .strictObject({
        networkPolicy: z.enum(['session', 'none']).default('session'),
        runAsNonRoot: z.boolean().default(true),
      })
      .optional(),
    /** Names of the credentials made available to the session (by SecretInjection), for display. */
    secrets: z
      .strictObject({
        provider: z.string().min(1).max(100).optional(),
        credentials: z.array(z.string().min(1).max(253)).max(100).default([]),
      })
      .optional(),
    pod: ZPodSpec,
    /** Free-form values of extra contributors loaded from configuration, keyed by their name. */
    extensions: z.record(z.string().min(1).max(100), z.unknown()).default({}),
  })
  .superRefine((spec, ctx) => {
    const volumes = new Set(spec.pod.volumes.map((v) => v.name));
    if (!volumes.has(spec.workspace.volume))
      ctx.addIssue({
        code: 'custom',
        path: ['workspace', 'volume'],
        message: `no pod volume "${spec.workspace.volume}"`,
      });
    if (spec.home.enabled && spec.home.volume && !volumes.has(spec.home.volume))
      ctx.addIssue({ code: 'custom', path: ['home', 'volume'], message: `no pod volume "${spec.home.volume}"` });
    if (spec.git) uniqueBy(spec.git.repos, (r) => r.path, ['git', 'repos'], ctx);
    const names = new Set(spec.agent.mcpServers.map((s) => s.name));
    if (names.size !== spec.agent.mcpServers.length)
      ctx.addIssue({ code: 'custom', path: ['agent', 'mcpServers'], message: 'two MCP servers share a name' });
    for (const [i, route] of (spec.gateway?.routes ?? []).entries()) {
      const container = spec.pod.containers.find((c) => c.name === route.container);
      if (!container)
        ctx.addIssue({
          code: 'custom',
          path: ['gateway', 'routes', i, 'container'],
          message: `no container "${route.container}"`,
        });
      else if (!container.ports.some((p) => p.name === route.port))
        ctx.addIssue({
          code: 'custom',
          path: ['gateway', 'routes', i, 'port'],
          message: `container "${route.container}" has no port "${route.port}"`,
        });
    }
  });
export type SessionSpec = z.infer<typeof ZSessionSpec>;
/** The spec before defaults are filled in: what contributions are partial pieces of. */
export type SessionSpecInput = z.input<typeof ZSessionSpec>;
