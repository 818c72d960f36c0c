import { AppShell } from '../pages/AppShell';
import { DashboardPage } from '../pages/DashboardPage';
import { devToken } from '../support/broker-reports';
import { expect, signedInTest as test } from '../support/fixtures';

test.describe('app shell', () => {
  test('every page loads, is captured and has no serious accessibility violations, in light and dark', async ({
    page,
    capture,
    expectAccessible,
  }) => {
    const shell = new AppShell(page);
    const dashboard = new DashboardPage(page);
    const pages: Array<{ path: string; name: string; heading: RegExp }> = [
      { path: '/', name: 'dashboard', heading: /^Sessions$/ },
      { path: '/launch', name: 'launch', heading: /^Launch a session$/ },
      { path: '/chronicles', name: 'chronicles', heading: /^Chronicles$/ },
      { path: '/settings/account', name: 'settings-account', heading: /^Settings$/ },
      { path: '/settings/presets', name: 'settings-presets', heading: /^Settings$/ },
      { path: '/settings/tokens', name: 'settings-tokens', heading: /^Settings$/ },
      { path: '/no/such/page', name: 'not-found', heading: /^Page not found$/ },
    ];
    for (const theme of ['light', 'dark'] as const) {
      await page.goto('/');
      await shell.chooseTheme(theme);
      expect(await shell.theme()).toBe(theme);
      for (const p of pages) {
        await page.goto(p.path);
        await expect(
          page.getByRole('heading', { level: p.name === 'not-found' ? 2 : 1, name: p.heading }),
        ).toBeVisible();
        if (p.name === 'dashboard') await dashboard.settled();
        // Let lazy data settle before judging the page (no spinner left).
        await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
        await capture(`${p.name}-${theme}`);
        await expectAccessible();
      }
    }
  });

  test('navigation is keyboard reachable and the skip link jumps to the content', async ({ page }) => {
    await page.goto('/');
    await expect(new DashboardPage(page).heading).toBeVisible();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('#main')).toBeFocused();

    const shell = new AppShell(page);
    await shell.link('Settings').focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/settings$/);
    await expect(shell.link('Settings')).toHaveAttribute('aria-current', 'page');
  });

  test('the theme follows the choice across a reload', async ({ page }) => {
    const shell = new AppShell(page);
    await page.goto('/');
    await shell.chooseTheme('dark');
    await page.reload();
    expect(await shell.theme()).toBe('dark');
    await shell.chooseTheme(null);
    await page.reload();
    expect(await shell.theme()).toBeNull();
  });

  test('the dashboard settles on sessions, the empty state or a clear "not available"', async ({ page }) => {
    const dashboard = new DashboardPage(page);
    await dashboard.goto();
    await expect(dashboard.heading).toBeVisible();
    const state = await dashboard.settled();
    expect(['sessions', 'empty', 'not-available']).toContain(state);
    await expect(dashboard.newSession).toBeVisible();
  });

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 390, height: 844 } });
    test('pages fit a narrow screen and stay accessible', async ({ page, platform, capture, expectAccessible }) => {
      // A long name without spaces (as the brokers' session tokens have) must not widen the page.
      const token = devToken(platform.dataDir, 'dana');
      const created = await fetch(`${platform.url}/trpc/tokens.create`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `phone-${'x'.repeat(80)}`, expiresInDays: 1 }),
      });
      expect(created.status).toBe(200);
      for (const [path, name] of [
        ['/', 'dashboard'],
        ['/launch', 'launch'],
        ['/chronicles', 'chronicles'],
        ['/settings/tokens', 'settings-tokens'],
      ] as const) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
        // Nothing wider than the screen: no sideways scrolling of the page.
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
        await capture(`${name}-phone`);
        await expectAccessible();
      }
    });
  });
});
