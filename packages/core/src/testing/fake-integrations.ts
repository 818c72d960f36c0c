import type { IntegrationConnection, Integrations } from '../sessions/ports/integrations';

/** Test double of Integrations: connections per owner id. */
export function fakeIntegrations(byOwner: Record<string, IntegrationConnection[]> = {}): Integrations {
  return {
    async forOwner({ ownerId }) {
      return structuredClone(byOwner[ownerId] ?? []);
    },
  };
}
