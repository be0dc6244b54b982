import { expect, request as playwrightRequest, type APIRequestContext, type Locator, type Page } from '@playwright/test';

export const demoPassword = 'Tongxin@2026';

/** A suffix that keeps names unique across runs against the same database. */
export function unique(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
}

/**
 * The demo's built-in administrator `admin` must take a personal name at first sign-in (the
 * rename itself is walked through in users.spec.ts); specs that sign in as 'admin' get this
 * name, renamed through the API the first time.
 */
export const renamedAdmin = 'sys.admin';

async function ensureAdminRenamed(): Promise<void> {
  const ctx = await playwrightRequest.newContext({ baseURL: `http://127.0.0.1:${process.env.E2E_PORT ?? 8190}` });
  try {
    // the renamed name first: after the first spec, 'admin' no longer exists (and failures would lock it)
    if ((await ctx.post('/api/v1/auth/login', { data: { username: renamedAdmin, password: demoPassword }, headers: apiHeaders })).ok()) return;
    const res = await ctx.post('/api/v1/auth/login', { data: { username: 'admin', password: demoPassword }, headers: apiHeaders });
    expect(res.status(), 'sign-in of the built-in admin').toBe(200);
    const renamed = await ctx.post('/api/v1/auth/rename', { data: { username: renamedAdmin }, headers: apiHeaders });
    expect(renamed.status(), 'rename of the built-in admin').toBe(200);
  } finally {
    await ctx.dispose();
  }
}

/** The name to sign in with: 'admin' stands for the renamed built-in administrator. */
async function accountName(username: string): Promise<string> {
  if (username !== 'admin') return username;
  await ensureAdminRenamed();
  return renamedAdmin;
}

export async function signIn(page: Page, username: string, password = demoPassword): Promise<void> {
  username = await accountName(username);
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
  username = await accountName(username);
  const res = await request.post('/api/v1/auth/login', { data: { username, password }, headers: apiHeaders });
  expect(res.status(), `sign-in of ${username}`).toBe(200);
}
