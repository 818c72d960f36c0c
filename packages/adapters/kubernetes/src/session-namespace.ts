import { z } from 'zod';
import { labelValue } from './session-names';

const ZNamespaceName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a namespace name (DNS-1123 label)');

/**
 * Where sessions live: one namespace, or one per tenant (`<prefix><tenant>`), which isolates
 * tenants by namespace (quotas, policies) on top of the per-session NetworkPolicy. Every
 * Kubernetes adapter of one installation must be given the same settings.
 */
export const ZSessionNamespaces = z.strictObject({
  namespace: ZNamespaceName.default('volundr-sessions'),
  tenantNamespaces: z
    .strictObject({
      prefix: z
        .string()
        .max(30)
        .regex(/^[a-z]([-a-z0-9]*)?$/, 'lower-case letters, digits and "-", starting with a letter')
        .default('volundr-t-'),
      /** Create a tenant's namespace when its first object is made (needs cluster-wide RBAC). */
      create: z.boolean().default(false),
    })
    .optional(),
});
export type SessionNamespaces = z.infer<typeof ZSessionNamespaces>;

export function namespaceFor(options: SessionNamespaces, tenantId: string): string {
  if (!options.tenantNamespaces) return options.namespace;
  const tenant = labelValue(tenantId.toLowerCase())
    .replace(/[._]/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${options.tenantNamespaces.prefix}${tenant}`.slice(0, 63).replace(/-+$/, '');
}
