import type { Page } from '@playwright/test';

/** The embedded identity provider's own sign-in page (served under /oidc). */
export class IssuerLoginPage {
  constructor(private readonly page: Page) {}

  async waitUntilShown(): Promise<void> {
    await this.page.waitForURL(/\/oidc\//);
    await this.page.getByLabel('Username').waitFor();
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.page.getByLabel('Username').fill(username);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** oidc-provider's end-session confirmation. */
  async confirmSignOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
  }
}
