import { SettingsPage } from '../pages/SettingsPage';
import { adminTest, expect, signedInTest } from '../support/fixtures';

adminTest(
  'an administrator sees the tenant’s audit log, and can filter it',
  async ({ page, capture, expectAccessible }) => {
    const settings = new SettingsPage(page);
    await settings.goto('admin');
    await expect(settings.tab('Administration')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    // Signing in provisioned users: the log has at least that.
    await expect(page.getByRole('row').filter({ hasText: 'user.provisioned' }).first()).toBeVisible();
    await page.getByLabel('Action').selectOption('token.revoked');
    await expect(page.getByRole('row').filter({ hasText: 'user.provisioned' })).toHaveCount(0);
    await capture('settings-admin');
    await expectAccessible();
  },
);

signedInTest('a developer has no administration settings', async ({ page }) => {
  const settings = new SettingsPage(page);
  await settings.goto('presets');
  await expect(settings.tab('Presets')).toBeVisible();
  await expect(settings.tab('Administration')).toHaveCount(0);
  await settings.goto('admin');
  await expect(page).toHaveURL(/\/settings$/);
});
