/**
 * Adapter modules that ship with Volundr. They are listed so the bundler includes them (each
 * becomes a lazily loaded chunk); any other specifier is imported from node_modules at run time.
 */
import { authorizationModules } from './authorization-modules';
import type { ModuleTable } from './module-table';

export const builtinModules: ModuleTable = {
  ...authorizationModules,
  '@volundr/adapter-identity/oidc-identity': () => import('@volundr/adapter-identity/oidc-identity'),
  '@volundr/adapter-local/local-pod-manager': () => import('@volundr/adapter-local/local-pod-manager'),
  '@volundr/adapter-local/local-directory-storage': () => import('@volundr/adapter-local/local-directory-storage'),
  '@volundr/adapter-local/local-session-routes': () => import('@volundr/adapter-local/local-session-routes'),
  '@volundr/adapter-events/rabbitmq-sink': () => import('@volundr/adapter-events/rabbitmq-sink'),
  '@volundr/api/composition/builtin-adapters/allowed-hosts-git': () => import('./builtin-adapters/allowed-hosts-git'),
  '@volundr/api/composition/builtin-adapters/request-resources': () => import('./builtin-adapters/request-resources'),
  '@volundr/api/composition/builtin-adapters/no-secret-backend': () => import('./builtin-adapters/no-secret-backend'),
  '@volundr/adapter-git/git-registry': () => import('@volundr/adapter-git/git-registry'),
  '@volundr/adapter-git/local-secret-injection': () => import('@volundr/adapter-git/local-secret-injection'),
  '@volundr/adapter-git/credential-secrets': () => import('@volundr/adapter-git/credential-secrets'),
  '@volundr/adapter-git/owner-integrations': () => import('@volundr/adapter-git/owner-integrations'),
  '@volundr/adapter-git/credential-stores/encrypted-file-store': () =>
    import('@volundr/adapter-git/credential-stores/encrypted-file-store'),
  '@volundr/adapter-git/credential-stores/vault-kv-store': () =>
    import('@volundr/adapter-git/credential-stores/vault-kv-store'),
  '@volundr/adapter-git/credential-stores/kubernetes-secret-store': () =>
    import('@volundr/adapter-git/credential-stores/kubernetes-secret-store'),
  '@volundr/adapter-kubernetes/direct-pod-manager': () => import('@volundr/adapter-kubernetes/direct-pod-manager'),
  '@volundr/adapter-kubernetes/flux-pod-manager': () => import('@volundr/adapter-kubernetes/flux-pod-manager'),
  '@volundr/adapter-kubernetes/kubernetes-storage': () => import('@volundr/adapter-kubernetes/kubernetes-storage'),
  '@volundr/adapter-kubernetes/kubernetes-gateway': () => import('@volundr/adapter-kubernetes/kubernetes-gateway'),
  '@volundr/adapter-kubernetes/profile-resources': () => import('@volundr/adapter-kubernetes/profile-resources'),
  '@volundr/adapter-kubernetes/kubernetes-secrets': () => import('@volundr/adapter-kubernetes/kubernetes-secrets'),
  '@volundr/adapter-kubernetes/vault-agent-injection': () =>
    import('@volundr/adapter-kubernetes/vault-agent-injection'),
  '@volundr/adapter-kubernetes/csi-secret-injection': () => import('@volundr/adapter-kubernetes/csi-secret-injection'),
  '@volundr/adapter-kubernetes/infisical-secret-injection': () =>
    import('@volundr/adapter-kubernetes/infisical-secret-injection'),
};
