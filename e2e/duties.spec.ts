import { expect, test, type APIRequestContext } from '@playwright/test';
import { apiHeaders, signIn, unique } from './helpers';

/** The month (1–12) of an instant on the Shanghai calendar. */
function shanghaiMonth(at: Date): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', month: 'numeric' }).format(at));
}

async function json<T>(r: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(r.ok(), `${r.url()} ${r.status()} ${await r.text()}`).toBe(true);
  return (await r.json()) as T;
}

test('the duties grid of secretary1’s branch turns green for this month once a theme Party day is recorded', async ({ page }) => {
  await signIn(page, 'secretary1');
  const api = page.request;
  const me = await json<{ roles: { code: string; scopeUnitId: string }[] }>(await api.get('/api/v1/auth/me', { headers: apiHeaders }));
  const branch = { id: me.roles.find((r) => r.code === 'branch_secretary')?.scopeUnitId };
  expect(branch.id, 'secretary1 is a branch secretary').toBeTruthy();
  const types = await json<{ items: { id: string; code: string }[] }>(await api.get('/api/v1/activity-types', { headers: apiHeaders }));
  const theme = types.items.find((x) => x.code === 'theme_party_day');
  expect(theme, 'the catalogue has the theme Party day').toBeTruthy();

  await page.getByTestId('menu-duties').click();
  await expect(page).toHaveURL(/\/duties/);
  const now = new Date();
  const month = shanghaiMonth(now);
  const row = page.locator('[data-testid="duty-row"][data-type="主题党日"]');
  const cell = row.locator(`[data-testid="duty-cell"][data-index="${month}"]`);
  await expect(cell).toBeVisible();
  const before = Number(await cell.getAttribute('data-done'));

  // the secretary holds and records a theme Party day that started half an hour ago
  const created = await json<{ id: string; version: number }>(
    await api.post('/api/v1/activities', {
      headers: apiHeaders,
      data: {
        typeId: theme?.id,
        unitId: branch.id,
        topic: `主题党日${unique()}`,
        place: '党员活动室',
        startsAt: new Date(now.getTime() - 30 * 60_000).toISOString(),
        endsAt: new Date(now.getTime() - 5 * 60_000).toISOString(),
      },
    }),
  );
  const held = await json<{ version: number }>(
    await api.post(`/api/v1/activities/${created.id}/transition`, { headers: apiHeaders, data: { version: created.version, status: 'held' } }),
  );
  await json(await api.post(`/api/v1/activities/${created.id}/transition`, { headers: apiHeaders, data: { version: held.version, status: 'recorded' } }));

  await page.reload();
  await expect(cell).toHaveAttribute('data-status', 'met');
  await expect(cell).toHaveAttribute('data-done', String(before + 1));
  await expect(page.getByTestId('duties-missed')).toBeVisible();

  // the bell is in the header; the account page shows the private calendar address
  await expect(page.getByTestId('notification-bell')).toBeVisible();
  await page.getByTestId('notification-bell').click();
  await expect(page.getByTestId('notification-list')).toBeVisible();
  await page.goto('/account');
  const url = page.getByTestId('calendar-feed-url');
  await expect(url).toContainText(/\/api\/v1\/calendar\/[0-9a-f]{64}\.ics/);
  const address = ((await url.textContent()) ?? '').trim();
  const ics = await api.get(address);
  expect(ics.status()).toBe(200);
  expect(await ics.text()).toContain('BEGIN:VCALENDAR');
});

test('the organ Party committee edits a duty rule on the duties page', async ({ page }) => {
  await signIn(page, 'party');
  await page.getByTestId('menu-duties').click();
  const card = page.getByTestId('duty-rules');
  const row = card.locator('[data-testid="duty-rule-row"][data-type="党课"]');
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: '编辑' }).click();
  await page.getByTestId('duty-rule-min-count').fill('2');
  await page.getByRole('dialog').getByRole('button', { name: /确\s*定|保\s*存/ }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(row).toContainText('2');
  // back as it was, for the other specs sharing the demo
  await row.getByRole('button', { name: '编辑' }).click();
  await page.getByTestId('duty-rule-min-count').fill('1');
  await page.getByRole('dialog').getByRole('button', { name: /确\s*定|保\s*存/ }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
});

test('a member keeps an email address in the bell’s reminder settings (email cannot be turned on without a mail server)', async ({ page }) => {
  await signIn(page, 'member1');
  await page.getByTestId('notification-bell').click();
  await page.getByTestId('notification-settings-open').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('本系统未配置邮件服务');
  await expect(page.getByTestId('notification-settings-email-enabled')).toBeDisabled();
  const email = page.getByTestId('notification-settings-email');
  await email.fill('不是邮箱');
  await page.getByTestId('notification-settings-save').click();
  await expect(dialog).toContainText('请输入有效的电子邮箱');
  const address = `member1.${unique()}@dept.example.cn`;
  await email.fill(address);
  await page.getByTestId('notification-settings-save').click();
  await expect(dialog).toBeHidden();
  const saved = await page.request.get('/api/v1/notifications/settings', { headers: apiHeaders });
  expect(await saved.json()).toEqual({ email: address, emailEnabled: false, emailAvailable: false });
  await page.getByTestId('notification-bell').click();
  await page.getByTestId('notification-settings-open').click();
  await expect(page.getByTestId('notification-settings-email')).toHaveValue(address);
});
