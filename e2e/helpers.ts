import { expect, type Page } from '@playwright/test';

export const demoPassword = 'Tongxin@2026';

/** A suffix that keeps names unique across runs against the same database. */
export function unique(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
}

export async function signIn(page: Page, username: string, password = demoPassword): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page.getByTestId('user-menu')).toBeVisible();
}

/** Picks an option of an antd Select/TreeSelect whose popup is open. */
export async function pickOption(page: Page, text: string): Promise<void> {
  const popup = page.locator('.ant-select-dropdown:visible, .ant-tree-select-dropdown:visible').last();
  await popup.getByTitle(text, { exact: true }).first().click();
}
