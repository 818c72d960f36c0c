import type { SessionSpec } from '@volundr/contracts/session-spec';
import type { RuntimeSettings } from '../runtime-settings';

/** Everything a session's objects are rendered from (both pod managers, and the chart's values). */
export interface SessionRenderInput {
  spec: SessionSpec;
  runtime: RuntimeSettings;
  namespace: string;
  /** `volundr.io/runtime` label value: `direct` or `flux`. */
  runtimeLabel: 'direct' | 'flux';
  attempt: { id: string; number: number };
  /** The per-session Secret holding the report token and git credentials, when there is one. */
  credentials: { secretName: string; reportToken: boolean; apiUrl: string | null } | null;
}

export const CREDENTIALS_MOUNT = '/var/run/volundr/credentials';
export const SETUP_MOUNT = '/var/run/volundr/setup';
export const REPORT_TOKEN_KEY = 'report-token';
export const gitCredentialKey = (index: number) => `git-credential-${index}`;
