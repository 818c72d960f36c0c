import { cryptoRandomTokens } from '@volundr/core/identity/ports/random-tokens';
import type { AppServices } from '../../composition/app-services';

/** What the personal-access-token use cases need, from the composed services. */
export const tokenDeps = (services: AppServices) => ({
  tokens: services.accounts.tokens,
  authorization: services.authorization,
  ids: services.ids,
  clock: services.clock,
  random: cryptoRandomTokens,
});
