/** `{ use: "@volundr/adapter-git/owner-integrations#ownerIntegrations" }`: the sessions' view of people's integrations. */
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import { ownerIntegrations as fromRecords } from '@volundr/core/integrations/owner-integrations';
import type { IntegrationRecords } from '@volundr/core/integrations/ports/integration-records';
import type { Integrations } from '@volundr/core/sessions/ports/integrations';
import { z } from 'zod';

export const ownerIntegrations = defineAdapter({
  port: 'integrations',
  options: z.strictObject({}),
  requires: ['integrationRecords'],
  create: (_options, deps: { integrationRecords: IntegrationRecords }): Integrations =>
    fromRecords(deps.integrationRecords),
});
