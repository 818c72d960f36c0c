import type { Principal } from '@volundr/contracts/principal';
import { type Profile, ZProfileByNameInput } from '@volundr/contracts/profiles';
import type { z } from 'zod';
import { DomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import type { Profiles } from './ports/profiles';

export const profileByName =
  (deps: { profiles: Profiles }) =>
  async (_principal: Principal, rawInput: z.input<typeof ZProfileByNameInput>): Promise<Profile> => {
    const input = validateInput(ZProfileByNameInput, rawInput, 'profile name');
    const profile = await deps.profiles.byName(input.name);
    if (!profile) throw new DomainError('PROFILE_NOT_FOUND', `No profile "${input.name}"`);
    return profile;
  };
