/**
 * What both pod managers need besides the SessionSpec: the session image, how the broker checks
 * tokens, the Gateway the routes attach to, network policy and security settings. The Flux
 * pod manager passes these to the session chart as `runtime` values (see values.schema.json).
 */
import { z } from 'zod';

const ZName = z.string().min(1).max(253);
const ZLabelMap = z.record(z.string().min(1).max(317), z.string().max(63));
const ZQuantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'a Kubernetes quantity (500m, 2Gi)');
const ZHostname = z
  .string()
  .max(253)
  .regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'a host name');

const ZPort = z.strictObject({ port: z.int().min(1).max(65_535), protocol: z.enum(['TCP', 'UDP']).default('TCP') });

/** One allowed destination for session egress: an address block, or pods selected by labels. */
export const ZEgressRule = z.union([
  z.strictObject({
    cidr: z.string().regex(/^[0-9a-fA-F:.]+\/[0-9]{1,3}$/, 'a CIDR block (10.0.0.0/8)'),
    except: z.array(z.string().regex(/^[0-9a-fA-F:.]+\/[0-9]{1,3}$/)).default([]),
    ports: z.array(ZPort).default([]),
  }),
  z.strictObject({
    namespaceSelector: ZLabelMap.optional(),
    podSelector: ZLabelMap.optional(),
    ports: z.array(ZPort).default([]),
  }),
]);
export type EgressRule = z.infer<typeof ZEgressRule>;

export const ZRuntimeSettings = z.strictObject({
  /** The session image (broker, claude, codex, ttyd, code-server, git): deploy/images/session.Dockerfile. */
  image: z.string().min(1).max(500).default('ghcr.io/volundr/session:0.1.0'),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
  imagePullSecrets: z.array(ZName).max(10).default([]),
  /** The pods' service account when the spec names none. */
  serviceAccountName: ZName.optional(),
  /** Sessions need no Kubernetes API access; set true for injectors that use the token (Vault Agent). */
  automountServiceAccountToken: z.boolean().default(false),
  /** The image's non-root user; volumes are made writable for this group. */
  user: z.strictObject({ uid: z.int().min(1).default(1000), gid: z.int().min(1).default(1000) }).prefault({}),
  /** Requests/limits of the terminal and IDE containers (the session's own resources go to the broker, where the agent works). */
  serviceResources: z
    .strictObject({
      requests: z.strictObject({ cpu: ZQuantity.optional(), memory: ZQuantity.optional() }).default({}),
      limits: z.strictObject({ cpu: ZQuantity.optional(), memory: ZQuantity.optional() }).default({}),
    })
    .default({ requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '2Gi' } }),
  /** The resource name GPUs are requested as. */
  gpuResource: z.string().min(1).max(253).default('nvidia.com/gpu'),
  broker: z.strictObject({
    /** The IdP the broker checks chat tokens against (the API's issuer and audience). */
    oidc: z.strictObject({
      issuer: z.url(),
      audience: z.string().min(1).max(500),
      jwksUrl: z.url().optional(),
      claimsPreset: z.enum(['generic', 'keycloak', 'entra', 'okta']).optional(),
      defaultTenant: z.string().min(1).max(255).optional(),
    }),
    transports: z
      .strictObject({
        claude: z.enum(['claude-sdk', 'claude-subprocess']).default('claude-sdk'),
        codex: z.enum(['codex']).default('codex'),
      })
      .prefault({}),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  }),
  gateway: z
    .strictObject({
      /** The Gateway(s) the session routes attach to. Empty: no HTTPRoute is made. */
      parentRefs: z
        .array(
          z.strictObject({
            name: ZName,
            namespace: ZName.optional(),
            sectionName: z.string().min(1).max(253).optional(),
          }),
        )
        .max(8)
        .default([]),
      /** Route host names; default: the host of the gateway endpoints when they are absolute URLs. */
      hostnames: z.array(ZHostname).max(8).default([]),
      /** Envoy Gateway JWT checks on every session route (a SecurityPolicy per route). */
      jwt: z
        .strictObject({
          issuer: z.url(),
          audiences: z.array(z.string().min(1).max(500)).min(1).max(8),
          jwksUri: z.url(),
          /** Browsers cannot set headers on iframes and WebSockets: also read the token from this cookie and query parameter. */
          cookie: z.string().min(1).max(100).default('volundr_session'),
          queryParam: z.string().min(1).max(100).default('access_token'),
          /**
           * Only tokens whose claim equals the session's owner id pass: the claim your identity
           * adapter maps to the user id (default `sub`). `false` lets every valid token of the
           * issuer through to the terminal and the IDE, which check no token of their own.
           */
          ownerClaim: z.union([z.string().min(1).max(100), z.literal(false)]).default('sub'),
        })
        .optional(),
    })
    .prefault({}),
  networkPolicy: z
    .strictObject({
      /** Where the gateway's proxies run: the only source allowed to reach session pods. */
      gatewaySelector: z
        .strictObject({ namespaceSelector: ZLabelMap.default({}), podSelector: ZLabelMap.default({}) })
        .default({
          namespaceSelector: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' },
          podSelector: {},
        }),
      /** Allow DNS to kube-dns (needed for any egress by name). */
      dns: z.boolean().default(true),
      /** Destinations sessions may reach (model APIs, git hosts, the Volundr API); everything else is denied. */
      egress: z.array(ZEgressRule).max(100).default([]),
    })
    .prefault({}),
});
export type RuntimeSettings = z.infer<typeof ZRuntimeSettings>;
export type RuntimeSettingsInput = z.input<typeof ZRuntimeSettings>;
