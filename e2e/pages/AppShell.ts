import type { Locator, Page } from '@playwright/test';

/** The header every signed-in page shares. */
export class AppShell {
  readonly nav: Locator;
  readonly signOutButton: Locator;
  readonly themeToggle: Locator;
  readonly userName: Locator;

  constructor(private readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.signOutButton = page.getByRole('button', { name: 'Sign out' });
    this.themeToggle = page.getByRole('button', { name: /^Theme:/ });
    this.userName = page.locator('.user-name');
  }

  link(name: 'Sessions' | 'Launch' | 'Chronicles' | 'Settings'): Locator {
    return this.nav.getByRole('link', { name, exact: true });
  }

  async theme(): Promise<string | null> {
    // A string expression: it runs in the page, and this package is type-checked without DOM types.
    return this.page.evaluate<string | null>('document.documentElement.dataset.theme ?? null');
  }

  /** Clicks the toggle until the page is in `theme` ('light' | 'dark' | null for system). */
  async chooseTheme(theme: 'light' | 'dark' | null): Promise<void> {
    for (let i = 0; i < 3 && (await this.theme()) !== theme; i++) await this.themeToggle.click();
  }
}
