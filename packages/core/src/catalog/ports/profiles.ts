import type { CliTool } from '@volundr/contracts/models';
import type { Profile } from '@volundr/contracts/profiles';

/** Read-only profiles (from configuration). */
export interface Profiles {
  list(): Promise<Profile[]>;
  byName(name: string): Promise<Profile | null>;
  /** The profile marked default for this CLI, if any. */
  defaultFor(cli: CliTool): Promise<Profile | null>;
}
