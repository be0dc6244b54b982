import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { choose, signIn, unique } from './helpers';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** A fresh built-in administrator of the demo department, as an operator creates one (`create-admin`). */
function createBuiltinAdmin(): string {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'server/src/cli/cli.ts', 'create-admin', '--tenant', 'demo', '--username', 'administrator', '--display-name', '内置管理员'],
    { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DATA_DIR: process.env.TONGXIN_E2E_DATA_DIR ?? '' } },
  );
  expect(r.status, r.stderr).toBe(0);
  const m = /initial password[^:]*: (\S+)/.exec(r.stdout);
  if (!m?.[1]) throw new Error(`no password in: ${r.stdout}`);
  return m[1];
}

async function signOut(page: Page) {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login$/);
}

async function changePassword(page: Page, current: string, next: string) {
  await expect(page).toHaveURL(/\/change-password$/);
  await page.getByLabel('当前密码').fill(current);
  await page.getByLabel('新密码', { exact: true }).fill(next);
  await page.getByLabel('确认新密码').fill(next);
  await page.getByRole('button', { name: /修改密码/ }).click();
}

test('the built-in admin changes the password and is renamed, creates an account; security grants it a role; the new user signs in', async ({ page }) => {
  test.setTimeout(120_000);
  const suffix = unique();
  const adminName = `wang.admin${suffix}`;
  const newUser = `li.user${suffix}`;
  const adminPassword = `Admin-${suffix}-Pw9!`;

  // first sign-in of a built-in administrator: the password, then the name, before anything else
  const initial = createBuiltinAdmin();
  await page.goto('/login');
  await page.getByLabel('用户名').fill('administrator');
  await page.getByLabel('密码').fill(initial);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await changePassword(page, initial, adminPassword);
  await expect(page).toHaveURL(/\/rename-admin$/);
  await expect(page.getByText('内置管理员账户“administrator”是通用名称')).toBeVisible();
  // the API refuses everything else meanwhile
  const refused = await page.request.get('/api/v1/org/units');
  expect((await refused.json()).error.code).toBe('ADMIN_RENAME_REQUIRED');
  await page.getByTestId('rename-username').fill('root');
  await page.getByRole('button', { name: '改名并继续' }).click();
  await expect(page.getByText(/不能使用 admin、root 等通用名/).first()).toBeVisible();
  await page.getByTestId('rename-username').fill(adminName);
  await page.getByRole('button', { name: '改名并继续' }).click();
  await expect(page.getByTestId('user-menu')).toBeVisible();

  // the system administrator creates an account with a generated password
  await page.getByTestId('menu-users').click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.locator(`[data-username="${adminName}"]`)).toContainText('本人账户');
  await page.getByTestId('user-create').click();
  const dialog = page.getByRole('dialog', { name: '新建账户' });
  await dialog.getByLabel('用户名').fill(newUser);
  await dialog.getByLabel('显示名称').fill(`李${suffix}`);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  const shown = page.getByTestId('initial-password');
  await expect(shown).toBeVisible();
  const userPassword = ((await shown.textContent()) ?? '').trim();
  expect(userPassword).toHaveLength(20);
  await page.getByRole('dialog', { name: '初始密码（仅显示这一次）' }).getByRole('button', { name: /确\s*定|OK/ }).click();
  const row = page.locator(`[data-username="${newUser}"]`);
  await expect(row).toContainText('待改密码');
  await expect(row).toContainText('未授予角色');
  // roles are not the system administrator's to grant
  await expect(row.getByTestId('user-grant')).toHaveCount(0);
  await signOut(page);

  // the security administrator grants a role on a branch; the role catalogue shows what each role permits
  await signIn(page, 'security');
  await page.getByTestId('menu-users').click();
  await page.getByTestId('role-catalogue-open').click();
  await expect(page.getByTestId('role-catalogue')).toContainText('security.manage');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: '角色目录' })).toBeHidden();
  await page.getByTestId('user-search').locator('input').fill(newUser);
  await page.getByTestId('user-search').locator('input').press('Enter');
  await page.locator(`[data-username="${newUser}"]`).getByTestId('user-grant').click();
  const grant = page.getByRole('dialog', { name: `为“${newUser}”授予角色` });
  await choose(page, grant.getByTestId('grant-role'), '支部书记');
  await expect(grant.getByText('people.write')).toBeVisible();
  await choose(page, grant.getByTestId('grant-scope'), '第一党支部');
  await grant.getByRole('button', { name: /保\s*存/ }).click();
  await expect(grant).toBeHidden();
  await expect(page.locator(`[data-username="${newUser}"]`)).toContainText('支部书记 · 第一党支部');
  // one account holds at most one of the three administrator roles: the reason is spelt out
  await page.getByTestId('user-search').locator('input').fill(adminName);
  await page.getByTestId('user-search').locator('input').press('Enter');
  await page.locator(`[data-username="${adminName}"]`).getByTestId('user-grant').click();
  const second = page.getByRole('dialog', { name: `为“${adminName}”授予角色` });
  await choose(page, second.getByTestId('grant-role'), '审计管理员');
  await choose(page, second.getByTestId('grant-scope'), '市委统战部');
  await second.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByText('三者不能兼任')).toBeVisible();
  await second.getByRole('button', { name: /取\s*消/ }).click();
  // nobody changes their own roles: no grant button on one's own row
  await page.getByTestId('user-search').locator('input').fill('security');
  await page.getByTestId('user-search').locator('input').press('Enter');
  await expect(page.locator('[data-username="security"]')).toContainText('本人账户');
  await expect(page.locator('[data-username="security"]').getByTestId('user-grant')).toHaveCount(0);
  await signOut(page);

  // the new user signs in, must change the password, then sees the branch's people
  await page.goto('/login');
  await page.getByLabel('用户名').fill(newUser);
  await page.getByLabel('密码').fill(userPassword);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await changePassword(page, userPassword, `New-${suffix}-Pw9!`);
  await expect(page.getByTestId('user-menu')).toBeVisible();
  await expect(page.getByTestId('menu-people')).toBeVisible();
  await expect(page.getByTestId('menu-users')).toHaveCount(0);
});
