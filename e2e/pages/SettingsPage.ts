import type { Locator, Page } from '@playwright/test';

export class SettingsPage {
  readonly heading: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Settings', level: 1 });
  }

  async goto(section: 'presets' | 'tokens' | 'admin' = 'presets'): Promise<void> {
    await this.page.goto(`/settings/${section}`);
  }

  tab(name: string): Locator {
    return this.page.getByRole('tab', { name });
  }

  /** Creates a personal access token and returns the value shown once. */
  async createToken(name: string): Promise<string> {
    await this.page.getByLabel('Name', { exact: true }).fill(name);
    await this.page.getByRole('button', { name: 'Create token' }).click();
    const value = this.page.getByLabel('Your new token');
    await value.waitFor();
    return (await value.textContent()) ?? '';
  }

  tokenRow(name: string): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('cell', { name: new RegExp(`^${name}`) }) });
  }

  async revokeToken(name: string): Promise<void> {
    await this.tokenRow(name)
      .getByRole('button', { name: `Revoke ${name}` })
      .click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await this.page.getByRole('dialog').waitFor({ state: 'hidden' });
  }
}
