import type { Principal } from '@volundr/contracts/principal';
import type { Profile } from '@volundr/contracts/profiles';
import type { Profiles } from './ports/profiles';

/** Every configured profile (readable by any signed-in user; see list-models.ts). */
export const listProfiles =
  (deps: { profiles: Profiles }) =>
  async (_principal: Principal): Promise<Profile[]> =>
    deps.profiles.list();
