import type { TenantTier, UserStatus } from '@volundr/contracts/identity';
import type { Role } from '@volundr/contracts/principal';
import type { Tone } from '../../components/Badge';

export const ROLE_LABELS: Record<Role, string> = {
  'volundr:admin': 'Administrator',
  'volundr:developer': 'Developer',
  'volundr:viewer': 'Viewer',
};

export const TIER_LABELS: Record<TenantTier, string> = {
  developer: 'Developer',
  team: 'Team',
  enterprise: 'Enterprise',
};

export const STATUS_TONES: Record<UserStatus, Tone> = {
  active: 'success',
  provisioning: 'info',
  suspended: 'warning',
  failed: 'danger',
};
