import type { AuthConfig } from '@volundr/contracts/auth';
import type { PodManager } from '@volundr/core/sessions/ports/pod-manager';
import type { AdapterBlock } from '../config/adapter-block';
import { ConfigError } from '../config/config-error';
import type { Config } from '../config/schema';
import { loadAdapter } from './load-adapter';

export const LOCAL_POD_MANAGER = '@volundr/adapter-local/local-pod-manager#localPodManager';

/**
 * The PodManager of `adapters.podManager`. Local mode defaults to the local runtime (processes
 * under the data dir, their brokers checking tokens of this installation's issuer); production
 * has no default: where sessions run is a decision for the operator.
 */
export function composePodManager(
  config: Config,
  urls: { publicUrl: string; internalUrl: string },
  authConfig: AuthConfig,
  deps: Readonly<Record<string, unknown>>,
): Promise<PodManager> {
  let block: AdapterBlock | undefined = config.adapters.podManager;
  if (!block && config.mode === 'local') {
    block = {
      use: LOCAL_POD_MANAGER,
      dataDir: config.dataDir,
      oidc: {
        issuer: authConfig.issuer,
        audience: authConfig.audience,
        // Brokers outlive API restarts (which change the internal port): keys via the stable public URL.
        ...(authConfig.embedded ? { jwksUrl: `${urls.publicUrl}/oidc/jwks` } : {}),
      },
    };
  }
  if (!block)
    throw new ConfigError(
      'configuration: adapters.podManager: production mode needs a PodManager (e.g. the Kubernetes runtime); none is configured',
    );
  return loadAdapter<PodManager>({ blockName: 'adapters.podManager', port: 'podManager', block, deps });
}
