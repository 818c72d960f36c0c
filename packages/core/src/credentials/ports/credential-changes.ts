import type { CredentialOwner } from './credential-records';

export interface CredentialChange extends CredentialOwner {
  name: string;
  kind: 'updated' | 'deleted';
}

/**
 * Tells who injected a credential that its value changed (an integration's token was
 * refreshed), so running sessions get the new value without a restart.
 */
export interface CredentialChanges {
  publish(change: CredentialChange): Promise<void>;
  subscribe(listener: (change: CredentialChange) => void | Promise<void>): () => void;
}

/** In-process fan-out; a failing listener does not stop the others. */
export function inProcessCredentialChanges(onError: (error: unknown) => void = () => {}): CredentialChanges {
  const listeners = new Set<(change: CredentialChange) => void | Promise<void>>();
  return {
    async publish(change) {
      for (const listener of [...listeners]) {
        try {
          await listener(change);
        } catch (error) {
          onError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
