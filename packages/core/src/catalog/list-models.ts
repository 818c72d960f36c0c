import type { Model } from '@volundr/contracts/models';
import type { Principal } from '@volundr/contracts/principal';
import type { Models } from './ports/models';

/**
 * The models catalog. Catalogs are configuration every signed-in user of any tenant may read,
 * so there is no per-resource check (the API still requires a principal).
 */
export const listModels =
  (deps: { models: Models }) =>
  async (_principal: Principal): Promise<Model[]> =>
    deps.models.list();
