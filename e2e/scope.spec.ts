import { expect, test } from '@playwright/test';
import { apiHeaders, apiSignIn, signIn } from './helpers';

interface PersonRow {
  id: string;
  name: string;
  branchName: string | null;
}

test('a branch secretary sees only their own branch, in the list and through the API', async ({ page, request }) => {
  // one person of each branch, looked up by a user who sees both
  await apiSignIn(request, 'party');
  const list = await request.get('/api/v1/people', { params: { pageSize: 100 } });
  expect(list.status()).toBe(200);
  const all = (await list.json()) as { items: PersonRow[] };
  const own = all.items.find((p) => p.branchName === '第一党支部');
  const other = all.items.find((p) => p.branchName === '第二党支部');
  if (!own || !other) throw new Error('the demo data has people in both branches');

  await signIn(page, 'secretary1');
  await page.getByTestId('menu-people').click();
  await expect(page).toHaveURL(/\/people$/);
  const rows = page.getByTestId('person-row');
  await expect(rows.first()).toBeVisible();
  const texts = await rows.allInnerTexts();
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) expect(text).toContain('第一党支部');
  expect(texts.join('\n')).not.toContain('第二党支部');

  // searching for someone of the other branch finds nobody
  await page.getByTestId('filter-q').fill(other.name);
  await page.getByTestId('filter-submit').click();
  await expect(rows).toHaveCount(0);
  await page.getByTestId('filter-q').fill(own.name);
  await page.getByTestId('filter-submit').click();
  await expect(rows).toHaveCount(1);

  // a person has no URL of its own (the drawer opens from the list): ask the API with the
  // secretary's session, as a hand-made request would
  const headers = { 'accept-language': 'zh-CN' };
  const denied = await page.request.get(`/api/v1/people/${other.id}`, { headers });
  expect(denied.status()).toBe(404);
  expect((await denied.json()).error.message).toBe('记录不存在或无权查看');
  const revealed = await page.request.post(`/api/v1/people/${other.id}/reveal`, { data: { field: 'phone' }, headers: apiHeaders });
  expect(revealed.status()).toBe(404);
  expect((await page.request.get(`/api/v1/people/${own.id}`, { headers })).status()).toBe(200);
});
