import { LaunchPage } from '../pages/LaunchPage';
import { SessionPage } from '../pages/SessionPage';
import { deleteSession } from '../support/api';
import { expect, signedInTest as test } from '../support/fixtures';

test('save launch settings as a preset, launch with it, rename and delete it in settings', async ({
  page,
  platform,
  capture,
  expectAccessible,
}) => {
  const launch = new LaunchPage(page);
  await launch.goto();
  await launch.next.click();
  await launch.fillDetails({ name: 'e2e-preset', model: 'claude-haiku-4-5' });
  await launch.next.click();
  await page.getByLabel('Memory').fill('2Gi');
  await page.getByLabel('System prompt').fill('Answer briefly.');
  await page.getByLabel('Save these settings as a preset').check();
  await page.getByLabel('Preset name').fill('quick haiku');
  await capture('launch-options-preset');
  await expectAccessible();
  await launch.next.click();
  await launch.launchButton.click();
  await new SessionPage(page).waitForState('Running');
  await deleteSession(platform, new SessionPage(page).sessionId());

  await page.goto('/settings/presets');
  const row = page.getByRole('row').filter({ hasText: 'quick haiku' });
  await expect(row).toContainText('claude-haiku-4-5');
  await capture('settings-presets-list');

  // The preset fills a new launch.
  await launch.goto();
  await launch.next.click();
  await launch.fillDetails({ name: 'e2e-preset-2' });
  await launch.next.click();
  await page.getByLabel('Preset', { exact: true }).selectOption({ label: 'quick haiku' });
  await expect(page.getByLabel('Memory')).toHaveValue('2Gi');
  await expect(page.getByLabel('System prompt')).toHaveValue('Answer briefly.');

  await page.goto('/settings/presets');
  await row.getByRole('button', { name: 'Edit quick haiku' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill('haiku, brief');
  await page
    .getByRole('dialog')
    .getByLabel(/Use as my default/)
    .check();
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  const renamed = page.getByRole('row').filter({ hasText: 'haiku, brief' });
  await expect(renamed).toContainText('default');
  await renamed.getByRole('button', { name: 'Delete haiku, brief' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete preset' }).click();
  await expect(renamed).toHaveCount(0);
});
