import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('switching to English changes the menu, persists, and server messages follow', async ({ page }) => {
  await signIn(page, 'admin');
  await expect(page.getByTestId('menu-people')).toHaveText('人员名册');

  await page.getByTestId('language-switch').click();
  await page.getByTitle('English', { exact: true }).click();
  await expect(page.getByTestId('menu-people')).toHaveText('People');
  await expect(page.getByText('Org & People')).toBeVisible();
  await expect(page.getByTestId('side-menu')).toContainText('Activity types');

  await page.reload();
  await expect(page.getByTestId('menu-people')).toHaveText('People');

  // the API answers in the chosen language (Accept-Language on every call)
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('wrong-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Wrong username or password')).toBeVisible();
});
