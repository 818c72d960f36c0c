import type { AuthConfig } from '@volundr/contracts/auth';
import { ErrorResponse, type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { type AccessClaims, accessClaims } from './jwt-claims';
import { safeReturnTo } from './return-to';

export interface SignedInUser {
  userId: string;
  name: string;
  email: string | null;
  claims: AccessClaims;
  /** Epoch ms at which the access token expires. */
  expiresAt: number;
}

export type AuthState =
  | { status: 'signed-out'; reason?: 'expired' | 'signed-out-elsewhere' }
  | { status: 'signed-in'; user: SignedInUser };

/** The issuer's discovery document could not be fetched: nobody can sign in right now. */
export class IssuerUnreachableError extends Error {
  constructor(
    readonly issuer: string,
    cause: unknown,
  ) {
    super(
      `The sign-in provider at ${issuer} cannot be reached${cause instanceof Error && cause.message ? ` (${cause.message})` : ''}.`,
    );
    this.name = 'IssuerUnreachableError';
  }
}

/** Renew this long before the access token expires. */
const RENEW_MARGIN_MS = 60_000;
const LOCK_NAME = 'volundr.token-renewal';

function viewOf(user: User): SignedInUser {
  const profile = user.profile;
  const claims = accessClaims(user.access_token);
  return {
    userId: profile.sub,
    name: (profile.name as string | undefined) ?? (profile.preferred_username as string | undefined) ?? profile.sub,
    email: (profile.email as string | undefined) ?? null,
    claims,
    expiresAt: (user.expires_at ?? 0) * 1000,
  };
}

/** Runs `task` while holding a lock shared by every tab, so only one renews at a time. */
async function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return task();
  return locks.request(LOCK_NAME, task);
}

/**
 * The signed-in person in this browser: OIDC authorization code + PKCE through oidc-client-ts,
 * tokens kept in localStorage so every tab and pop-out window shares one sign-in, renewal with
 * the refresh token under a cross-tab lock (a refresh token rotates: two tabs renewing at once
 * would race and one would be signed out), and sign-outs in one tab followed by the others.
 */
export class AuthSession {
  private readonly manager: UserManager;
  private user: User | null = null;
  private stateValue: AuthState = { status: 'signed-out' };
  private readonly listeners = new Set<(state: AuthState) => void>();
  private renewTimer: ReturnType<typeof setTimeout> | null = null;
  private renewing: Promise<User | null> | null = null;
  private readonly onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key.startsWith('oidc.user:')) void this.reloadFromStorage();
  };

  constructor(
    readonly config: AuthConfig,
    private readonly origin: string = window.location.origin,
  ) {
    this.manager = new UserManager({
      authority: config.issuer,
      client_id: config.clients.web,
      redirect_uri: `${origin}/auth/callback`,
      post_logout_redirect_uri: `${origin}/`,
      response_type: 'code',
      scope: config.scopes.join(' '),
      userStore: new WebStorageStateStore({ store: window.localStorage }),
      stateStore: new WebStorageStateStore({ store: window.localStorage }),
      automaticSilentRenew: false,
      loadUserInfo: false,
      monitorSession: false,
    });
  }

  get state(): AuthState {
    return this.stateValue;
  }

  subscribe(listener: (state: AuthState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Restores a stored sign-in (renewing it if it expired while the app was closed). */
  async init(): Promise<void> {
    window.addEventListener('storage', this.onStorage);
    const stored = await this.manager.getUser();
    if (!stored) return this.setUser(null);
    if (!this.expiresSoon(stored)) return this.setUser(stored);
    this.user = stored;
    await this.renew().catch(() => this.setUser(null, 'expired'));
  }

  dispose(): void {
    window.removeEventListener('storage', this.onStorage);
    if (this.renewTimer) clearTimeout(this.renewTimer);
  }

  /** Fetches the issuer's discovery document; throws IssuerUnreachableError if it cannot. */
  async checkIssuer(): Promise<void> {
    try {
      await this.manager.metadataService.getMetadata();
    } catch (error) {
      throw new IssuerUnreachableError(this.config.issuer, error);
    }
  }

  /** Leaves for the issuer's sign-in page; comes back to `/auth/callback`, then `returnTo`. */
  async signIn(returnTo: string): Promise<void> {
    await this.checkIssuer();
    await this.manager.signinRedirect({ state: { returnTo: safeReturnTo(returnTo) } });
  }

  /** Finishes the code exchange on `/auth/callback`; returns where to go next. */
  async completeSignIn(url: string): Promise<string> {
    const user = await this.manager.signinRedirectCallback(url);
    this.setUser(user);
    return safeReturnTo((user.state as { returnTo?: unknown } | undefined)?.returnTo);
  }

  /**
   * Forgets the tokens here (every tab follows through the storage event), revokes the
   * refresh token where the issuer allows it, and ends the issuer's session.
   */
  async signOut(): Promise<void> {
    const user = this.user;
    if (user?.refresh_token) await this.manager.revokeTokens(['refresh_token']).catch(() => undefined);
    await this.manager.removeUser();
    this.setUser(null);
    const metadata = await this.manager.metadataService.getMetadata().catch(() => null);
    if (metadata?.end_session_endpoint && user) {
      await this.manager.signoutRedirect({ id_token_hint: user.id_token, post_logout_redirect_uri: `${this.origin}/` });
    }
  }

  /** A valid access token (renewed first if it is about to expire), or null when signed out. */
  async accessToken(): Promise<string | null> {
    const user = this.user;
    if (!user) return null;
    if (!this.expiresSoon(user)) return user.access_token;
    const renewed = await this.renew().catch(() => null);
    return renewed?.access_token ?? null;
  }

  /** The API refused our token: renew once; if that fails the person must sign in again. */
  async tokenRejected(): Promise<void> {
    if (!this.user) return;
    await this.renew().catch(() => this.setUser(null, 'expired'));
  }

  /** Renews with the refresh token; concurrent callers share one renewal. */
  renew(): Promise<User | null> {
    if (!this.renewing) {
      this.renewing = this.renewExclusive().finally(() => {
        this.renewing = null;
      });
    }
    return this.renewing;
  }

  private async renewExclusive(): Promise<User | null> {
    return exclusive(async () => {
      // Another tab may have renewed while we waited for the lock: use its tokens.
      const stored = await this.manager.getUser();
      if (!stored) {
        this.setUser(null, 'signed-out-elsewhere');
        return null;
      }
      if (stored.access_token !== this.user?.access_token && !this.expiresSoon(stored)) {
        this.setUser(stored);
        return stored;
      }
      if (!stored.refresh_token) throw new Error('no refresh token: sign in again');
      try {
        const renewed = await this.manager.signinSilent();
        this.setUser(renewed);
        return renewed;
      } catch (error) {
        // invalid_grant: the refresh token was revoked or expired. Anything else (network,
        // issuer restarting) keeps the current tokens and tries again shortly.
        if (error instanceof ErrorResponse && error.error === 'invalid_grant') {
          await this.manager.removeUser();
          this.setUser(null, 'expired');
        } else this.schedule(stored, 15_000);
        throw error;
      }
    });
  }

  private expiresSoon(user: User): boolean {
    return (user.expires_at ?? 0) * 1000 - Date.now() < RENEW_MARGIN_MS;
  }

  private async reloadFromStorage(): Promise<void> {
    const stored = await this.manager.getUser();
    if (!stored && this.user) this.setUser(null, 'signed-out-elsewhere');
    else if (stored && stored.access_token !== this.user?.access_token) this.setUser(stored);
  }

  private schedule(user: User, delayMs?: number): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    const due = delayMs ?? Math.max(1000, (user.expires_at ?? 0) * 1000 - Date.now() - RENEW_MARGIN_MS);
    // Timers longer than ~24.8 days overflow; tokens never live that long, but stay safe.
    this.renewTimer = setTimeout(() => void this.renew().catch(() => undefined), Math.min(due, 2 ** 31 - 1));
  }

  private setUser(user: User | null, reason?: 'expired' | 'signed-out-elsewhere'): void {
    this.user = user;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = null;
    if (user) this.schedule(user);
    const next: AuthState = user
      ? { status: 'signed-in', user: viewOf(user) }
      : reason
        ? { status: 'signed-out', reason }
        : { status: 'signed-out' };
    this.stateValue = next;
    for (const listener of this.listeners) listener(next);
  }
}
