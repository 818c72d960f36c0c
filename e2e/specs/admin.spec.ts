import { randomBytes } from 'node:crypto';
import { AdministrationPage } from '../pages/AdministrationPage';
import { SettingsPage } from '../pages/SettingsPage';
import { devToken } from '../support/broker-reports';
import { adminTest, expect, signedInTest } from '../support/fixtures';

/** Calls `me` with a bearer token: the status tells whether the account may work. */
async function meStatus(url: string, token: string): Promise<number> {
  return (await fetch(`${url}/trpc/me`, { headers: { authorization: `Bearer ${token}` } })).status;
}

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

adminTest(
  'an administrator creates a sub-tenant, sets its quotas, manages a member, suspends and reinstates them, and deletes the tenant',
  async ({ page, platform, capture, expectAccessible }) => {
    // A person of the tenant `default`, signed in once (JIT) with a token of the embedded provider.
    const member = `e2e-${randomBytes(4).toString('hex')}`;
    const memberToken = devToken(platform.dataDir, member);
    expect(await meStatus(platform.url, memberToken)).toBe(200);
    const slug = `team-${randomBytes(3).toString('hex')}`;
    const path = `/default/${slug}/`;

    const admin = new AdministrationPage(page);
    await admin.goto();
    await expect(admin.tenant('/default/')).toHaveAttribute('aria-current', 'true');
    // The tenant always keeps an administrator: the only one cannot step down.
    // (The embedded provider's `admin` is named "Administrator".)
    await admin.roleOf('Administrator').selectOption({ label: 'Developer' });
    await expect(admin.tenantDetails.getByRole('alert')).toContainText('last administrator');
    await expect(admin.roleOf('Administrator')).toHaveValue('volundr:admin');

    await admin.createChild(slug, 'E2E Team', 3);
    await expect(admin.tenant(path)).toHaveAttribute('aria-current', 'true');
    await expect(admin.tenantDetails.getByRole('heading', { name: 'E2E Team', exact: true })).toBeVisible();
    await expect(admin.tenantDetails.getByRole('heading', { name: 'Members of E2E Team' })).toBeVisible();
    await expect(admin.tenantDetails.getByRole('heading', { name: 'No members' })).toBeVisible();

    // Quotas: a bad value is named at its field before anything is sent; a good one is saved.
    await admin.tenantDetails.getByRole('button', { name: 'Edit tenant' }).click();
    await admin.dialog.getByLabel('Storage (GB) at most').fill('lots');
    await admin.dialog.getByRole('button', { name: 'Save' }).click();
    await expect(admin.dialog.getByLabel('Storage (GB) at most')).toHaveAttribute('aria-invalid', 'true');
    await capture('settings-admin-edit-tenant');
    await expectAccessible();
    await admin.dialog.getByRole('button', { name: 'Cancel' }).click();
    await admin.editQuotas({ maxRunningSessions: 7, maxStorageGb: 120 });
    await expect(admin.tenantDetails.getByText('120 GB')).toBeVisible();

    await admin.addMember(member, 'Developer');
    await admin.roleOf(member).selectOption({ label: 'Administrator' });
    await expect(admin.roleOf(member)).toHaveValue('volundr:admin');
    await capture('settings-admin-tenants');
    await expectAccessible();
    await page.emulateMedia({ colorScheme: 'dark' });
    await capture('settings-admin-tenants-dark');
    await expectAccessible();
    await page.emulateMedia({ colorScheme: 'light' });

    // Suspension (asks first) refuses the member's next request; lifting it lets them back.
    await admin
      .userRow(member)
      .getByRole('button', { name: `Suspend ${member}` })
      .click();
    await expect(admin.dialog).toContainText('next request');
    await admin.dialog.getByRole('button', { name: 'Suspend' }).click();
    await expect(admin.userRow(member).getByText('suspended', { exact: true })).toBeVisible();
    expect(await meStatus(platform.url, memberToken)).toBe(403);
    await admin
      .userRow(member)
      .getByRole('button', { name: `Lift suspension of ${member}` })
      .click();
    await expect(admin.userRow(member).getByText('active', { exact: true })).toBeVisible();
    expect(await meStatus(platform.url, memberToken)).toBe(200);
    await admin
      .userRow(member)
      .getByRole('button', { name: `Re-provision ${member}` })
      .click();
    await expect(admin.users.getByRole('status')).toContainText(`${member} is re-provisioned`);

    // Deleting a tenant with members is refused with what is left; removing asks first.
    await admin.selectTenant(path);
    await admin.tenantDetails.getByRole('button', { name: 'Delete tenant' }).click();
    await admin.dialog.getByRole('button', { name: 'Delete tenant' }).click();
    await expect(admin.dialog.getByRole('alert')).toContainText('1 member');
    await admin.dialog.getByRole('button', { name: 'Cancel' }).click();
    await admin
      .memberRow(member)
      .getByRole('button', { name: `Remove ${member}` })
      .click();
    await expect(admin.dialog).toContainText(`Remove ${member} from E2E Team?`);
    await admin.dialog.getByRole('button', { name: 'Remove member' }).click();
    await expect(admin.memberRow(member)).toHaveCount(0);
    await admin.tenantDetails.getByRole('button', { name: 'Delete tenant' }).click();
    await admin.dialog.getByRole('button', { name: 'Delete tenant' }).click();
    await expect(admin.tenant(path)).toHaveCount(0);
    await expect(admin.tenant('/default/')).toHaveAttribute('aria-current', 'true');
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
