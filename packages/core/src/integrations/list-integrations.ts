import type { Integration } from '@volundr/contracts/integrations';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import { authorizeIntegration } from './integration-access';
import { integrationView } from './integration-view';
import type { IntegrationRecords } from './ports/integration-records';

/** The principal's own integrations (metadata only). */
export const listIntegrations =
  (deps: { integrations: IntegrationRecords; authorization: Authorization }) =>
  async (principal: Principal): Promise<Integration[]> => {
    await authorizeIntegration(deps.authorization, principal, 'list');
    const records = await deps.integrations.listForOwner({ ownerId: principal.userId, tenantId: principal.tenantId });
    return records.map(integrationView);
  };
