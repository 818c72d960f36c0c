import type { IntegrationCatalogEntry } from '@volundr/contracts/integrations';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import { authorizeIntegration } from './integration-access';
import type { GitProviders } from './ports/git-providers';

const titles = { github: 'GitHub', gitlab: 'GitLab' } as const;

/** The configured GitHub and GitLab instances a person can connect to, and how. */
export const integrationCatalog =
  (deps: { providers: GitProviders; authorization: Authorization }) =>
  async (principal: Principal): Promise<IntegrationCatalogEntry[]> => {
    await authorizeIntegration(deps.authorization, principal, 'list');
    return deps.providers.list().flatMap((p) => {
      if (p.kind !== 'github' && p.kind !== 'gitlab') return [];
      const oauth = deps.providers.oauth(p.name);
      return [
        {
          provider: p.name,
          kind: p.kind,
          title: `${titles[p.kind]} (${p.host})`,
          webUrl: p.webUrl,
          authMethods: oauth ? ['token', 'oauth'] : ['token'],
          scopes: oauth?.scopes ?? [],
        },
      ];
    });
  };
