import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { DomainError } from '@volundr/core/errors';
import { kubeMessage, statusOf } from './kube-errors';

/** client-node patches default to JSON patch; this sends a JSON merge patch. */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * A failed cluster call as a domain error: refused input (4xx other than 404/409) is the
 * spec's fault, anything else means the cluster is unreachable or unwell.
 */
export function kubeFailure(what: string, error: unknown): DomainError {
  const status = statusOf(error);
  const message = `Kubernetes refused to ${what}: ${kubeMessage(error)}`;
  if (status === 422 || status === 400) return new DomainError('SPEC_INVALID', message);
  if (status === 403)
    return new DomainError(
      'DEPENDENCY_UNAVAILABLE',
      `${message} (check the API's RBAC: deploy/kustomize/base/rbac.yaml)`,
    );
  if (status === 0)
    return new DomainError('DEPENDENCY_UNAVAILABLE', `Could not reach Kubernetes to ${what}: ${kubeMessage(error)}`);
  return new DomainError('DEPENDENCY_UNAVAILABLE', message);
}
