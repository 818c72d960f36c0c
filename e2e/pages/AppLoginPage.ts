import { expect, type Locator, type Page } from '@playwright/test';
import { IssuerLoginPage } from './IssuerLoginPage';

/** Volundr's own login screen (`/login`) and the sign-in round trip through the issuer. */
export class AppLoginPage {
  readonly heading: Locator;
  readonly signInButton: Locator;
  readonly issuerUnreachable: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Sign in to Volundr' });
    this.signInButton = page.getByRole('button', { name: 'Sign in' });
    this.issuerUnreachable = page.getByRole('heading', { name: 'The sign-in provider cannot be reached' });
  }

  async goto(returnTo?: string): Promise<void> {
    await this.page.goto(returnTo ? `/login?returnTo=${encodeURIComponent(returnTo)}` : '/login');
  }

  /** From anywhere signed out: our login page → the issuer's form → back into the app. */
  async signIn(username: string, password: string, returnTo?: string): Promise<void> {
    if (!/\/login/.test(this.page.url())) await this.goto(returnTo);
    await expect(this.signInButton).toBeEnabled();
    await this.signInButton.click();
    const issuer = new IssuerLoginPage(this.page);
    await issuer.waitUntilShown();
    await issuer.signIn(username, password);
    await this.page.waitForURL(
      (url) =>
        !url.pathname.startsWith('/oidc') &&
        !url.pathname.startsWith('/auth/callback') &&
        !url.pathname.startsWith('/login'),
    );
  }
}
