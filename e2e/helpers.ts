import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

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

/**
 * Chooses `option` in an antd Select or TreeSelect (`select` is its root element, where
 * data-testid lands) and checks that it shows. Retried: a popup opened while its modal is
 * still zooming in can move under the pointer between Playwright's stability check and the click.
 */
export async function choose(page: Page, select: Locator, option: string): Promise<void> {
  await expect(async () => {
    if (!(await page.locator('.ant-select-dropdown:visible').count())) await select.click();
    await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).first().click({ timeout: 2_000 });
    await expect(select).toContainText(option, { timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
}

/** Headers of an API write outside the app: the CSRF guard wants X-Requested-With. */
export const apiHeaders = { 'x-requested-with': 'tongxin', 'accept-language': 'zh-CN' };

/** Signs `request` in through the API (for causing events and looking up ids quickly). */
export async function apiSignIn(request: APIRequestContext, username: string, password = demoPassword): Promise<void> {
  const res = await request.post('/api/v1/auth/login', { data: { username, password }, headers: apiHeaders });
  expect(res.status(), `sign-in of ${username}`).toBe(200);
}
