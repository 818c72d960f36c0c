/**
 * Schema validation of whole objects with kubernetes-models (and its gateway-api / flux-cd
 * companions), turning the validator's errors into API-server style field causes
 * (`spec.containers[0].ports[0].containerPort: Invalid value: "http": must be integer`).
 */
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2beta2/HelmRelease';
import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import { HelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/HelmRepository';
import { OCIRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/OCIRepository';
import { Gateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Event } from 'kubernetes-models/v1/Event';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { z } from 'zod';
import type { StatusCause } from './api-error';
import type { KubeObject } from './kube-object';

export type SchemaValidator = (object: KubeObject) => StatusCause[];

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type Model = new (data: never) => { validate(): void };

/** `/spec/containers/0/image` → `spec.containers[0].image` */
export function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((out, segment) => (/^\d+$/.test(segment) ? `${out}[${segment}]` : out ? `${out}.${segment}` : segment), '');
}

function valueAt(object: unknown, instancePath: string): unknown {
  let current = object;
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

const shown = (value: unknown) => (value === undefined ? 'null' : JSON.stringify(value));

export function causesFromAjv(object: unknown, errors: readonly AjvError[]): StatusCause[] {
  const byPath = new Map<string, AjvError[]>();
  for (const e of errors) {
    const key = e.keyword === 'required' ? `${e.instancePath}/${String(e.params.missingProperty)}` : e.instancePath;
    byPath.set(key, [...(byPath.get(key) ?? []), e]);
  }
  const causes: StatusCause[] = [];
  for (const [path, group] of byPath) {
    const field = fieldPath(path);
    const first = group[0]!;
    if (first.keyword === 'required') {
      causes.push({ reason: 'FieldValueRequired', field, message: 'Required value' });
      continue;
    }
    const value = valueAt(object, path);
    const types = group.filter((e) => e.keyword === 'type').map((e) => String(e.params.type));
    if (types.length > 0) {
      causes.push({
        reason: 'FieldValueTypeInvalid',
        field,
        message: `Invalid value: ${shown(value)}: must be of type ${types.join(' or ')}`,
      });
      continue;
    }
    const enumError = group.find((e) => e.keyword === 'enum');
    if (enumError) {
      const allowed = (enumError.params.allowedValues as unknown[] | undefined) ?? [];
      causes.push({
        reason: 'FieldValueNotSupported',
        field,
        message: `Unsupported value: ${shown(value)}: supported values: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
      });
      continue;
    }
    const detail = group.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? first;
    causes.push({
      reason: 'FieldValueInvalid',
      field,
      message: `Invalid value: ${shown(value)}: ${detail.message ?? detail.keyword}`,
    });
  }
  return causes;
}

function modelValidator(model: Model, schemaApiVersion?: string): SchemaValidator {
  return (object) => {
    const data = schemaApiVersion ? { ...object, apiVersion: schemaApiVersion } : object;
    try {
      new model(data as never).validate();
      return [];
    } catch (err) {
      const errors = (err as { errors?: AjvError[] }).errors;
      if (!Array.isArray(errors)) throw err;
      return causesFromAjv(data, errors);
    }
  };
}

// secrets-store.csi.x-k8s.io ships no kubernetes-models package: its CRD schema, written in zod.
const ZSecretProviderClass = z.object({
  spec: z.object({
    provider: z.string().min(1),
    parameters: z.record(z.string(), z.string()).optional(),
    secretObjects: z
      .array(
        z.object({
          secretName: z.string().min(1),
          type: z.string().min(1),
          labels: z.record(z.string(), z.string()).optional(),
          annotations: z.record(z.string(), z.string()).optional(),
          data: z.array(z.object({ objectName: z.string().min(1), key: z.string().min(1) })).optional(),
        }),
      )
      .optional(),
  }),
});

// Envoy Gateway ships no kubernetes-models package either: the SecurityPolicy fields the
// session runtime writes (JWT providers on a route), from its CRD.
const ZTargetRef = z.object({ group: z.string(), kind: z.string().min(1), name: z.string().min(1) });
const ZSecurityPolicy = z.object({
  spec: z
    .object({
      targetRef: ZTargetRef.optional(),
      targetRefs: z.array(ZTargetRef).min(1).optional(),
      jwt: z
        .object({
          optional: z.boolean().optional(),
          providers: z
            .array(
              z.object({
                name: z.string().min(1).max(253),
                issuer: z.string().max(253).optional(),
                audiences: z.array(z.string()).max(8).optional(),
                remoteJWKS: z.object({ uri: z.string().min(1).max(253) }),
                claimToHeaders: z.array(z.object({ header: z.string().min(1), claim: z.string().min(1) })).optional(),
                extractFrom: z
                  .object({
                    headers: z
                      .array(z.object({ name: z.string().min(1), valuePrefix: z.string().optional() }))
                      .optional(),
                    cookies: z.array(z.string().min(1)).optional(),
                    params: z.array(z.string().min(1)).optional(),
                  })
                  .optional(),
              }),
            )
            .min(1)
            .max(4),
        })
        .optional(),
    })
    .refine(
      (s) => (s.targetRef === undefined) !== (s.targetRefs === undefined),
      'exactly one of targetRef or targetRefs',
    ),
});

// secrets.infisical.com (the Infisical operator) ships no kubernetes-models package either: the
// parts of its InfisicalSecret CRD that Volundr writes, in zod.
const ZInfisicalSecret = z.object({
  spec: z.object({
    hostAPI: z.url().optional(),
    resyncInterval: z.int().positive().optional(),
    authentication: z.object({
      kubernetesAuth: z
        .object({
          identityId: z.string().min(1),
          serviceAccountRef: z.object({ name: z.string().min(1), namespace: z.string().min(1) }),
          secretsScope: z.object({
            projectSlug: z.string().min(1),
            envSlug: z.string().min(1),
            secretsPath: z.string().startsWith('/'),
            recursive: z.boolean().optional(),
          }),
        })
        .optional(),
    }),
    managedKubeSecretReferences: z
      .array(
        z.object({
          secretName: z.string().min(1),
          secretNamespace: z.string().min(1),
          creationPolicy: z.enum(['Orphan', 'Owner']).optional(),
          template: z
            .object({ includeAllSecrets: z.boolean().optional(), data: z.record(z.string(), z.string()).optional() })
            .optional(),
        }),
      )
      .min(1),
  }),
});

const zodValidator =
  (schema: z.ZodType): SchemaValidator =>
  (object) => {
    const parsed = schema.safeParse(object);
    if (parsed.success) return [];
    return parsed.error.issues.map((issue) => ({
      reason: 'FieldValueInvalid',
      field: issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, ''),
      message: `Invalid value: ${issue.message}`,
    }));
  };

const secretProviderClass: SchemaValidator = (object) => {
  const parsed = ZSecretProviderClass.safeParse(object);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const field = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
    return missing
      ? { reason: 'FieldValueRequired', field, message: 'Required value' }
      : { reason: 'FieldValueInvalid', field, message: `Invalid value: ${issue.message}` };
  });
};

const ZChartRef = z.object({
  apiVersion: z.string().optional(),
  kind: z.enum(['OCIRepository', 'HelmChart']),
  name: z.string().min(1),
  namespace: z.string().optional(),
});

/**
 * HelmRelease v2 on the v2beta2 schema, plus what v2 added: `spec.chartRef` as the alternative to
 * `spec.chart`, with the CRD's rule that exactly one of them is set.
 */
function helmReleaseV2(): SchemaValidator {
  const base = modelValidator(HelmRelease, 'helm.toolkit.fluxcd.io/v2beta2');
  return (object) => {
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    const hasChart = spec.chart !== undefined;
    const hasRef = spec.chartRef !== undefined;
    const causes = base(object).filter((c) => !(hasRef && c.field === 'spec.chart'));
    if (hasChart === hasRef)
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'spec',
        message: 'Invalid value: "object": either chart or chartRef must be set',
      });
    if (hasRef && !ZChartRef.safeParse(spec.chartRef).success)
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'spec.chartRef',
        message: `Invalid value: ${JSON.stringify(spec.chartRef)}: must name kind (OCIRepository or HelmChart) and name`,
      });
    return causes;
  };
}

/**
 * Validators by `apiVersion/kind`. Flux's GA versions (HelmRelease v2, HelmRepository v1) are
 * checked against the closest schema the installed flux-cd models ship (v2beta2, v1beta2).
 */
export const schemaValidators: Readonly<Record<string, SchemaValidator>> = {
  'v1/Namespace': modelValidator(Namespace),
  'v1/Pod': modelValidator(Pod),
  'v1/Service': modelValidator(Service),
  'v1/PersistentVolumeClaim': modelValidator(PersistentVolumeClaim),
  'v1/Secret': modelValidator(Secret),
  'v1/ConfigMap': modelValidator(ConfigMap),
  'v1/ServiceAccount': modelValidator(ServiceAccount),
  'v1/Event': modelValidator(Event),
  'networking.k8s.io/v1/NetworkPolicy': modelValidator(NetworkPolicy),
  'gateway.networking.k8s.io/v1/HTTPRoute': modelValidator(HTTPRoute),
  'gateway.networking.k8s.io/v1/Gateway': modelValidator(Gateway),
  'helm.toolkit.fluxcd.io/v2/HelmRelease': helmReleaseV2(),
  'source.toolkit.fluxcd.io/v1/HelmRepository': modelValidator(HelmRepository, 'source.toolkit.fluxcd.io/v1beta2'),
  'source.toolkit.fluxcd.io/v1/GitRepository': modelValidator(GitRepository),
  'source.toolkit.fluxcd.io/v1beta2/OCIRepository': modelValidator(OCIRepository),
  'secrets-store.csi.x-k8s.io/v1/SecretProviderClass': secretProviderClass,
  'gateway.envoyproxy.io/v1alpha1/SecurityPolicy': zodValidator(ZSecurityPolicy),
  'secrets.infisical.com/v1alpha1/InfisicalSecret': zodValidator(ZInfisicalSecret),
};
