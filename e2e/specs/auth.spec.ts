import { AppLoginPage } from '../pages/AppLoginPage';
import { AppShell } from '../pages/AppShell';
import { IssuerLoginPage } from '../pages/IssuerLoginPage';
import { expect, test } from '../support/fixtures';

test.describe('sign-in', () => {
  test('a signed-out visitor signs in through the issuer and comes back to the page they asked for', async ({
    page,
    platform,
    capture,
    expectAccessible,
  }) => {
    await page.goto('/settings/tokens');
    await expect(page).toHaveURL(/\/login\?returnTo=%2Fsettings%2Ftokens$/);
    const login = new AppLoginPage(page);
    await expect(login.heading).toBeVisible();
    await expect(login.signInButton).toBeEnabled();
    await capture('login');
    await expectAccessible();

    await login.signInButton.click();
    const issuer = new IssuerLoginPage(page);
    await issuer.waitUntilShown();
    await capture('issuer-login');
    await issuer.signIn('admin', platform.adminPassword);

    await expect(page).toHaveURL(/\/settings\/tokens$/);
    const shell = new AppShell(page);
    await expect(shell.userName).toHaveText(/\S/);

    // Tokens are kept: a reload (or a new tab) is still signed in.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await expect(page).toHaveURL(/\/settings\/tokens$/);
  });

  test('a wrong password stays on the issuer with its error', async ({ page }) => {
    await new AppLoginPage(page).goto();
    await page.getByRole('button', { name: 'Sign in' }).click();
    const issuer = new IssuerLoginPage(page);
    await issuer.waitUntilShown();
    await issuer.signIn('admin', 'not-the-password');
    await expect(page).toHaveURL(/\/oidc\//);
    await expect(page.getByLabel('Password')).toBeVisible();
  });

  test('signing out ends the session here and at the issuer', async ({ page, platform }) => {
    const login = new AppLoginPage(page);
    await login.signIn('admin', platform.adminPassword);
    await new AppShell(page).signOutButton.click();
    await new IssuerLoginPage(page).confirmSignOut();
    await expect(page).toHaveURL(/\/login$/);
    await expect(login.heading).toBeVisible();
    // Signed out for real: a protected page sends us back to the login page.
    await page.goto('/settings');
    await expect(page).toHaveURL(/\/login\?returnTo=%2Fsettings$/);
  });

  test.describe(() => {
    test.use({ allowedConsole: [/net::ERR_CONNECTION_REFUSED .*\/oidc\/\.well-known\//] });
    test('an unreachable issuer gets a clear screen and a working retry', async ({
      page,
      capture,
      expectAccessible,
    }) => {
      let block = true;
      await page.route('**/oidc/.well-known/openid-configuration', (route) =>
        block ? route.abort('connectionrefused') : route.continue(),
      );
      const login = new AppLoginPage(page);
      await login.goto();
      await expect(login.issuerUnreachable).toBeVisible();
      await expect(page.getByText(/did not answer/)).toBeVisible();
      await capture('login-issuer-unreachable');
      await expectAccessible();
      block = false;
      await page.getByRole('button', { name: 'Try again' }).click();
      await expect(login.signInButton).toBeEnabled();
    });
  });

  test.describe(() => {
    test.use({ allowedConsole: [/net::ERR_(?:FAILED|CONNECTION_REFUSED) .*\/trpc\/auth\.config/] });
    test('an unreachable API gets a whole-page explanation and a retry that recovers', async ({
      page,
      capture,
      expectAccessible,
    }) => {
      let block = true;
      await page.route('**/trpc/auth.config*', (route) =>
        block ? route.abort('connectionrefused') : route.continue(),
      );
      await page.goto('/');
      await expect(page.getByRole('heading', { name: 'Volundr cannot be reached' })).toBeVisible();
      await expect(page.getByText(/volundr up/)).toBeVisible();
      await capture('api-unreachable');
      await expectAccessible();
      block = false;
      await page.getByRole('button', { name: 'Try again' }).click();
      await expect(new AppLoginPage(page).heading).toBeVisible();
    });
  });
});
