import { expect, test } from '@playwright/test';
import { choose, signIn, unique } from './helpers';

test('admin creates a branch, adds a person to it, finds them and signs out', async ({ page }) => {
  const suffix = unique();
  const branchName = `测试党支部${suffix}`;
  const personName = `测试${suffix}`;

  await signIn(page, 'admin');
  await expect(page.getByTestId('tenant-name')).toHaveText(/统战部/);

  // org page: the department root is selected first
  await page.getByTestId('menu-org').click();
  await expect(page).toHaveURL(/\/org$/);
  const tree = page.getByTestId('org-tree');
  await expect(tree.locator('[data-unit-name="市委统战部"]')).toBeVisible();
  await tree.locator('[data-unit-name="市委统战部"]').click();

  // create a branch under the root
  await page.getByRole('button', { name: '新建下级' }).click();
  const unitDialog = page.getByRole('dialog', { name: '新建下级单位' });
  await choose(page, unitDialog.getByTestId('unit-type'), '党支部');
  await unitDialog.getByLabel('名称').fill(branchName);
  await unitDialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(unitDialog).toBeHidden();
  const branchNode = tree.locator(`[data-unit-name="${branchName}"]`);
  await expect(branchNode).toBeVisible();
  await expect(page.getByText(`${branchName} · 人员`)).toBeVisible();

  // add a person from the branch's people list: the branch is preset
  await page.getByTestId('person-create').click();
  const personDialog = page.getByRole('dialog', { name: '新增人员' });
  await personDialog.getByLabel('姓名').fill(personName);
  await personDialog.getByLabel('手机').fill('13800138000');
  await choose(page, personDialog.getByTestId('person-office'), '干部科');
  await expect(personDialog.getByTestId('person-branch')).toContainText(branchName);
  await personDialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(personDialog).toBeHidden();

  // the new person's drawer opens; close it
  const drawer = page.getByRole('dialog', { name: personName });
  await expect(drawer.getByRole('row', { name: `支部 ${branchName}` })).toBeVisible();
  await drawer.getByRole('button', { name: '关闭' }).click();
  await expect(drawer).toBeHidden();

  // people page: find them by name
  await page.getByTestId('menu-people').click();
  await expect(page).toHaveURL(/\/people$/);
  // the org page's own list stays on screen until the people page has loaded
  await expect(page.getByTestId('filter-unit')).toBeVisible();
  await page.getByTestId('filter-q').fill(personName);
  await page.getByTestId('filter-submit').click();
  const rows = page.getByTestId('person-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(personName);
  await expect(rows.first()).toContainText(branchName);
  await expect(rows.first()).toContainText('138****8000');

  await rows.first().click();
  await expect(drawer.getByRole('row', { name: '科室 干部科' })).toBeVisible();
  await expect(drawer.getByRole('row', { name: '政治面貌 正式党员' })).toBeVisible();
  await expect(drawer.getByRole('row', { name: '手机 138****8000' })).toBeVisible();
  await drawer.getByRole('button', { name: '关闭' }).click();
  await expect(drawer).toBeHidden();

  // sign out
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('button', { name: /登\s*录/ })).toBeVisible();

  // the session is gone: a protected page sends us back to sign in
  await page.goto('/people');
  await expect(page).toHaveURL(/\/login$/);
});
