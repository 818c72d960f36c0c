/**
 * The values of the session chart (deploy/charts/volundr-session): the merged SessionSpec as
 * `spec`, and under `runtime` the installation's settings plus what the pod manager worked out
 * for this start (names, labels, host names, the credentials Secret). Its JSON Schema,
 * generated from these zod schemas, ships as the chart's values.schema.json so Helm itself
 * refuses bad values.
 */
import { ZSessionSpec } from '@volundr/contracts/session-spec';
import { z } from 'zod';
import { ZRuntimeSettings } from '../runtime-settings';
import { ANNOTATIONS, LABELS, sessionKey, sessionMetadata } from '../session-names';
import { instanceLabels, routeHostnames } from './session-objects';
import type { SessionRenderInput } from './session-render-input';

const ZStringMap = z.record(z.string().min(1).max(317), z.string().max(65_536));

export const ZChartRuntime = z.strictObject({
  ...ZRuntimeSettings.shape,
  /** Name of every object of this start. */
  instance: z.string().min(1).max(63),
  sessionKey: z.string().min(1).max(63),
  attempt: z.strictObject({ id: z.string().min(1).max(300), number: z.int().min(0) }),
  /** Labels every object carries (the chart adds `volundr.io/component`). */
  labels: ZStringMap,
  annotations: ZStringMap,
  /** Route host names (configured, or from the endpoints' URLs). */
  hostnames: z.array(z.string().min(1).max(253)).max(8),
  credentials: z
    .strictObject({
      secretName: z.string().min(1).max(253),
      reportToken: z.boolean(),
      apiUrl: z.url().max(2000).nullable(),
    })
    .nullable(),
});
export type ChartRuntime = z.infer<typeof ZChartRuntime>;

export const ZChartValues = z.strictObject({ spec: ZSessionSpec, runtime: ZChartRuntime });
export type ChartValues = z.infer<typeof ZChartValues>;

export function chartValues(input: SessionRenderInput): ChartValues {
  const { [LABELS.component]: _component, ...labels } = instanceLabels(input, 'release');
  const annotations = { ...sessionMetadata(input.spec.session).annotations, [ANNOTATIONS.attemptId]: input.attempt.id };
  return {
    spec: input.spec,
    runtime: {
      ...input.runtime,
      instance: `${sessionKey(input.spec.session.id)}-${input.attempt.number}`,
      sessionKey: sessionKey(input.spec.session.id),
      attempt: input.attempt,
      labels,
      annotations,
      hostnames: routeHostnames(input),
      credentials: input.credentials,
    },
  };
}

/** The chart's values.schema.json: JSON Schema draft 7 (what Helm validates), values as written (defaults optional). */
export function chartValuesSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ZChartValues, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    title: 'volundr-session chart values',
    description:
      'Generated from ZSessionSpec and ZChartRuntime (packages/adapters/kubernetes/src/render/chart-values.ts) by packages/adapters/kubernetes/scripts/generate-chart-schema.ts. Do not edit.',
  };
}
