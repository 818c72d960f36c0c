import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';

/** How an adapter reaches the cluster. */
export const ZKubeConnection = z.strictObject({
  /**
   * A kubeconfig file. Absent: the standard lookup — `$KUBECONFIG`, `~/.kube/config`, or the
   * pod's service account when the API runs in the cluster.
   */
  kubeconfig: z.string().min(1).optional(),
  /** The kubeconfig context to use (default: its current context). */
  context: z.string().min(1).optional(),
});
export type KubeConnection = z.infer<typeof ZKubeConnection>;

export function loadKubeConfig(connection: KubeConnection): KubeConfig {
  const config = new KubeConfig();
  if (connection.kubeconfig) config.loadFromFile(connection.kubeconfig);
  else config.loadFromDefault();
  if (connection.context) config.setCurrentContext(connection.context);
  return config;
}
