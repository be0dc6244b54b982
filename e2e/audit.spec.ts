import { expect, test } from '@playwright/test';
import { apiHeaders, apiSignIn, signIn } from './helpers';

test('the auditor sees sign-ins, filters people events, exports and checks the trail', async ({ page, request }) => {
  // another user signs in, reveals a phone number and exports the roll (all audited)
  await apiSignIn(request, 'party');
  const list = await request.get('/api/v1/people', { params: { pageSize: 1 } });
  expect(list.status()).toBe(200);
  const person = ((await list.json()) as { items: { id: string }[] }).items[0];
  if (!person) throw new Error('the demo data has people');
  const reveal = await request.post(`/api/v1/people/${person.id}/reveal`, { data: { field: 'phone' }, headers: apiHeaders });
  expect(reveal.status()).toBe(200);
  const exported = await request.get('/api/v1/people/export.xlsx');
  expect(exported.status()).toBe(200);
  await exported.body();

  await signIn(page, 'auditor');
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByTestId('menu-audit')).toHaveText('审计日志');
  await expect(page.getByTestId('menu-security')).toHaveCount(0);

  // newest first: the auditor's own sign-in, then the other user's events
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toContainText('auditor');
  await expect(rows.first()).toContainText('登录');
  await expect(rows.first()).toContainText('成功');
  await expect(rows.filter({ hasText: 'party' }).filter({ hasText: '登录' }).first()).toBeVisible();

  // only people actions
  await page.getByLabel('操作', { exact: true }).fill('people.');
  await page.getByTestId('audit-filter-submit').click();
  const actions = () =>
    page.locator('[data-testid="audit-row"] [data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action') ?? ''));
  await expect.poll(async () => (await actions()).every((a) => a.startsWith('people.'))).toBe(true);
  const revealRow = rows.filter({ hasText: '查看敏感信息' }).filter({ hasText: 'party' }).first();
  await expect(revealRow).toBeVisible();
  await expect(rows.filter({ hasText: '导出人员' }).filter({ hasText: 'party' }).first()).toBeVisible();

  // the details of an entry unfold under its row
  await revealRow.getByRole('button', { name: /展开|expand/i }).click();
  const details = page.getByTestId('audit-entry-details');
  await expect(details).toContainText('people.reveal');
  await expect(details).toContainText('"field": "phone"');
  await expect(details).toContainText(person.id);

  // the export carries the filters and arrives as a file
  const download = page.waitForEvent('download');
  await page.getByTestId('audit-export').click();
  expect((await download).suggestedFilename()).toMatch(/^审计日志-.*\.xlsx$/);

  // the hash chain is intact
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-verify-result')).toContainText(/审计日志完整，共校验 \d+ 条/);
});
