import type { Integration } from '@volundr/contracts/integrations';
import type { IntegrationRecord } from './ports/integration-records';

export const integrationView = (r: IntegrationRecord): Integration => ({
  id: r.id,
  provider: r.provider,
  kind: r.kind,
  enabled: r.enabled,
  authMethod: r.authMethod,
  account: r.account,
  credentialName: r.credentialName,
  scopes: [...r.scopes],
  expiresAt: r.expiresAt?.toISOString() ?? null,
  refreshedAt: r.refreshedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});
