import type { CoreV1Api } from '@kubernetes/client-node';
import { claimNames } from './pod-status';

/**
 * The pod's claims that are not bound, each with the provisioner's last word on it
 * (`s-1-workspace (ProvisioningFailed: storageclass "fast" not found)`). Only looked up for a pod
 * that waits for its volumes, so the common path makes no extra calls.
 */
export async function unboundClaims(
  core: CoreV1Api,
  namespace: string,
  pod: Parameters<typeof claimNames>[0],
): Promise<string[]> {
  const out: string[] = [];
  for (const name of claimNames(pod)) {
    const claim = await core.readNamespacedPersistentVolumeClaim({ name, namespace }).catch(() => null);
    if (claim?.status?.phase === 'Bound') continue;
    const events = await core
      .listNamespacedEvent({
        namespace,
        fieldSelector: `involvedObject.kind=PersistentVolumeClaim,involvedObject.name=${name}`,
      })
      .catch(() => null);
    const last = events?.items
      .filter((e) => e.type === 'Warning')
      .sort((a, b) =>
        String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')),
      )
      .at(-1);
    out.push(
      claim === null
        ? `${name} (missing)`
        : last
          ? `${name} (${last.reason}: ${(last.message ?? '').replace(/[.\s]+$/, '')})`
          : `${name} (${claim.status?.phase ?? 'Pending'})`,
    );
  }
  return out;
}
