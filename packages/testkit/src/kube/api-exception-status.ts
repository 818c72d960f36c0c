/**
 * The `Status` an API error carried, read from a @kubernetes/client-node `ApiException` (whose
 * `body` is the response text for codes its OpenAPI spec does not list, like 409 or 422).
 */
import { z } from 'zod';

export const ZKubeStatus = z.object({
  kind: z.literal('Status'),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  code: z.number(),
  details: z
    .object({
      name: z.string().optional(),
      group: z.string().optional(),
      kind: z.string().optional(),
      causes: z
        .array(
          z.object({ reason: z.string().optional(), message: z.string().optional(), field: z.string().optional() }),
        )
        .optional(),
    })
    .optional(),
});
export type ParsedKubeStatus = z.infer<typeof ZKubeStatus>;

export function kubeStatusOf(err: unknown): ParsedKubeStatus {
  const body = (err as { body?: unknown } | undefined)?.body;
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      throw new Error(`not a Kubernetes Status: ${body.slice(0, 200)}`);
    }
  }
  const parsed = ZKubeStatus.safeParse(value);
  if (!parsed.success) throw new Error(`not a Kubernetes Status: ${String(err)}`);
  return parsed.data;
}
