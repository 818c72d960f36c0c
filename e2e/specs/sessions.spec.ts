import { DashboardPage } from '../pages/DashboardPage';
import { LaunchPage } from '../pages/LaunchPage';
import { SessionPage } from '../pages/SessionPage';
import { expect, signedInTest as test } from '../support/fixtures';

test.describe('sessions', () => {
  test('launch from a local repository, watch it start, see it live on the dashboard, stop and delete it', async ({
    page,
    platform,
    capture,
    expectAccessible,
  }) => {
    const launch = new LaunchPage(page);
    await launch.goto();
    await capture('launch-template');
    await launch.next.click();
    await launch.fillDetails({ repo: `${platform.gitUrl}/acme/app.git`, branch: 'main', name: 'e2e-app' });
    await capture('launch-details');
    await expectAccessible();
    await launch.next.click();
    await launch.next.click();
    await expect(launch.step('Review and launch')).toBeVisible();
    await expect(page.getByText(`${platform.gitUrl}/acme/app.git @ main`)).toBeVisible();
    await capture('launch-review');
    await launch.launchButton.click();

    const session = new SessionPage(page);
    await expect(page).toHaveURL(/\/sessions\/[^/]+$/);
    await expect(session.title).toHaveText('e2e-app');
    await session.waitForState('Running');
    await expect(session.tab('Chat')).toHaveAttribute('aria-selected', 'true');
    await capture('session-workspace');
    await expectAccessible();

    // The dashboard follows the session live: stopping it moves its card without a reload.
    const dashboard = new DashboardPage(page);
    await dashboard.goto();
    await expect(dashboard.group('Running').getByRole('listitem', { name: 'e2e-app' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
    await capture('dashboard-sessions');
    await expectAccessible();
    await dashboard.sessionCard('e2e-app').getByRole('button', { name: 'Stop e2e-app' }).click();
    await expect(dashboard.group('Stopped').getByRole('listitem', { name: 'e2e-app' })).toBeVisible({
      timeout: 30_000,
    });

    await dashboard.search.fill('acme');
    await expect(dashboard.sessionCard('e2e-app')).toBeVisible();
    await dashboard.search.fill('no-such-thing');
    await expect(page.getByRole('heading', { name: 'No session matches' })).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).click();

    await dashboard.sessionCard('e2e-app').getByRole('button', { name: 'Delete e2e-app' }).click();
    await capture('dashboard-delete-dialog');
    await expectAccessible();
    await page.getByRole('dialog').getByLabel('Also delete the workspace files').check();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete session' }).click();
    await expect(dashboard.sessionCard('e2e-app')).toHaveCount(0);
  });

  test('a session that cannot start shows which step failed, why, and retries', async ({
    page,
    platform,
    capture,
    expectAccessible,
  }) => {
    const launch = new LaunchPage(page);
    await launch.launch({ repo: `${platform.gitUrl}/acme/missing.git`, branch: 'main', name: 'e2e-missing' });
    const session = new SessionPage(page);
    await expect(session.failure).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('.steps li[data-status="failed"]')).toHaveCount(1);
    await expect(page.getByText(/Could not clone/).first()).toBeVisible();
    await capture('session-provisioning-failed');
    await expectAccessible();

    const restarted = page.waitForResponse((r) => r.url().includes('/trpc/sessions.start') && r.ok());
    await session.retry.click();
    await restarted;
    // The second attempt fails the same way (the repository still does not exist).
    await session.waitForState('Failed');
    await expect(session.failure).toBeVisible();
    await session.action('Delete').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete session' }).click();
    await expect(page).toHaveURL(/\/$/);
  });

  test('the wizard shows field errors, its own and the API’s, next to the field', async ({ page }) => {
    const launch = new LaunchPage(page);
    await launch.goto();
    await launch.next.click();
    await launch.fillDetails({ repo: 'has a space', name: 'Not Valid!' });
    await launch.next.click();
    await expect(launch.fieldError('Repository')).toHaveText('a repository URL without spaces');
    await expect(launch.fieldError('Session name')).toContainText('lower-case letters');
    await expect(page.getByLabel('Session name')).toHaveAttribute('aria-invalid', 'true');

    // Passes our checks, refused by the API: the message lands on the repository field.
    await page.getByLabel('Repository', { exact: true }).fill('/not/a/url');
    await page.getByLabel('Session name').fill('e2e-refused');
    await launch.next.click();
    await launch.next.click();
    await launch.launchButton.click();
    await expect(launch.step('Name, model and source')).toBeVisible();
    await expect(launch.fieldError('Repository')).toContainText('not allowed');
  });
});
