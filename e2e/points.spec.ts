import { expect, test, type APIRequestContext } from '@playwright/test';
import { apiHeaders, apiSignIn, choose, signIn, unique } from './helpers';

async function json<T>(r: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(r.ok(), `${r.url()} ${r.status()} ${await r.text()}`).toBe(true);
  return (await r.json()) as T;
}

// two browsers (the secretary's and a phone) and a dozen round trips
test.setTimeout(120_000);

/**
 * The third quarter of 2026, not the current one: closing it freezes the first branch's
 * months up to its end, and other specs record activities of that branch now.
 */
const QUARTER = '2026-Q3';
const MEETING_AT = '2026-09-15T10:00:00+08:00';

test('a recorded meeting raises members’ points; the quarter is published, a member objects by phone, the secretary answers and closes; the yearly list has grades', async ({ page, browser }) => {
  await signIn(page, 'secretary1');
  const api = page.request;
  const me = await json<{ roles: { code: string; scopeUnitId: string }[] }>(await api.get('/api/v1/auth/me', { headers: apiHeaders }));
  const branchId = me.roles.find((r) => r.code === 'branch_secretary')?.scopeUnitId;
  expect(branchId, 'secretary1 is a branch secretary').toBeTruthy();
  const types = await json<{ items: { id: string; code: string }[] }>(await api.get('/api/v1/activity-types', { headers: apiHeaders }));
  const meeting = types.items.find((x) => x.code === 'branch_general_meeting');

  // member1 on a phone: the year so far
  const phone = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const m = await phone.newPage();
  await signIn(m, 'member1');
  const before = await json<{ yearTotal: number; personId: string; personName: string }>(await m.request.get('/api/v1/points/me', { headers: apiHeaders }));

  // the secretary holds a branch meeting of the whole branch, marks everyone present and
  // records it (unknown attendance would become absent at recording)
  const created = await json<{ id: string; version: number; participants: { personId: string }[] }>(
    await api.post('/api/v1/activities', {
      headers: apiHeaders,
      data: {
        typeId: meeting?.id,
        unitId: branchId,
        topic: `支部党员大会${unique()}`,
        startsAt: MEETING_AT,
        endsAt: '2026-09-15T12:00:00+08:00',
        participants: { unitIds: [branchId] },
      },
    }),
  );
  expect(created.participants.map((p) => p.personId)).toContain(before.personId);
  const held = await json<{ version: number }>(
    await api.post(`/api/v1/activities/${created.id}/transition`, { headers: apiHeaders, data: { version: created.version, status: 'held' } }),
  );
  await json(
    await api.post(`/api/v1/activities/${created.id}/attendance`, {
      headers: apiHeaders,
      data: { items: created.participants.map((p) => ({ personId: p.personId, attendance: 'present' })) },
    }),
  );
  const current = await json<{ version: number }>(await api.get(`/api/v1/activities/${created.id}`, { headers: apiHeaders }));
  expect(current.version).toBeGreaterThanOrEqual(held.version);
  await json(await api.post(`/api/v1/activities/${created.id}/transition`, { headers: apiHeaders, data: { version: current.version, status: 'recorded' } }));

  // the member's points rose by the meeting's +2
  await m.goto('/m/points');
  await expect(m.getByTestId('my-year-total')).toContainText(String(before.yearTotal + 2));
  expect(await m.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  // the secretary sees September's tally and publishes the quarter
  await page.goto('/points?tab=tally');
  await page.getByTestId('branch-select').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('第一党支部', { exact: true }).click();
  await page.getByTestId('tally-month').fill('2026-09');
  await expect(page.getByTestId('tally-table').getByRole('row')).not.toHaveCount(1);
  await page.goto('/points?tab=notices');
  await page.getByTestId('branch-select').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('第一党支部', { exact: true }).click();
  await page.getByTestId('notice-quarter').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(QUARTER, { exact: true }).click();
  await page.getByTestId('notice-publish').click();
  await expect(page.getByText('公示已发布')).toBeVisible();
  await page.keyboard.press('Escape');

  // the member objects to the meeting entry from the phone
  await m.reload();
  await m.getByTestId('my-notice').filter({ hasText: QUARTER }).getByTestId('my-notice-open').click();
  const modal = m.getByTestId('notice-modal');
  await expect(modal.getByTestId('object-button').first()).toBeVisible();
  await modal.getByTestId('object-button').first().click();
  await m.getByTestId('object-text').fill('我当天还作了发言，请核实');
  await m.locator('#object-submit').click();
  await expect(m.getByText('异议已提交')).toBeVisible();
  await m.keyboard.press('Escape');
  await m.reload();
  await expect(m.getByTestId('my-objection-status').first()).toHaveText('待答复');

  // the secretary answers (accepted, +5 correction) and closes the notice: the quarter is closed
  await page.reload();
  await page.getByTestId('notices-table').getByRole('row').filter({ hasText: QUARTER }).getByTestId('notice-open').click();
  const drawer = page.getByTestId('notice-drawer');
  await drawer.getByTestId('answer-button').click();
  await page.getByRole('dialog', { name: '答复' }).getByRole('spinbutton').fill('5');
  await page.getByTestId('answer-text').fill('经核实发言属实，加5分');
  await page.locator('#answer-submit').click();
  await expect(page.getByText('已答复')).toBeVisible();
  await drawer.getByTestId('notice-close').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(drawer.getByTestId('notice-status')).toHaveText('已结账');

  // the member sees the answer, and the points: the meeting and its correction as one line (+7), history behind it
  await m.reload();
  await expect(m.getByTestId('my-objection-status').first()).toHaveText('已采纳');
  await expect(m.getByTestId('my-year-total')).toContainText(String(before.yearTotal + 7));
  const meetingLine = m.getByTestId('points-entries').getByRole('row').filter({ hasText: '更正 1 次' });
  await expect(meetingLine.getByTestId('points-entry-net')).toHaveText('+7');
  await meetingLine.getByRole('button', { name: /展开|expand/i }).click();
  await expect(m.getByTestId('points-entry-history').getByRole('row')).toHaveCount(3);
  await phone.close();

  // a closed quarter is frozen: the meeting's attendance cannot change any more
  const refused = await api.post(`/api/v1/activities/${created.id}/attendance`, {
    headers: apiHeaders,
    data: { items: [{ personId: before.personId, attendance: 'absent' }] },
  });
  expect(refused.status()).toBe(409);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('PERIOD_CLOSED');

  // instead the secretary adjusts the closed entry: it goes into the open month, citing it, and waits for someone else
  await page.goto('/points?tab=tally');
  await choose(page, page.getByTestId('branch-select'), '第一党支部');
  await page.getByTestId('tally-month').fill('2026-09');
  await page.getByTestId('tally-table').getByRole('row').filter({ hasText: before.personName }).getByTestId('drill-total').click();
  const line = page.getByTestId('points-entries').getByRole('row').filter({ hasText: '更正 1 次' });
  await line.getByTestId('adjust-button').click();
  await page.getByTestId('adjust-amount').fill('-1');
  await page.getByTestId('adjust-reason').fill('发言记录有误，核减1分');
  await page.getByTestId('adjust-evidence').fill('会议记录第3页');
  await page.locator('#adjust-submit').click();
  await expect(page.getByText(/调整已提交（计入 \d{4}-\d{2}）/)).toBeVisible();
  const pending = await json<{ id: string; correctsEntryId: string | null; createdBy: string }[]>(await api.get('/api/v1/points/manual-entries?status=pending', { headers: apiHeaders }));
  const adjustment = pending.find((x) => x.correctsEntryId);
  expect(adjustment).toBeTruthy();
  // the secretary cannot approve it: someone else (with points.approve) must
  const selfReview = await api.post(`/api/v1/points/manual-entries/${adjustment?.id}/review`, { headers: apiHeaders, data: { approve: true } });
  expect(selfReview.status()).toBe(403);

  // the yearly evaluation lists the branch with grades
  await page.goto('/points?tab=evaluation');
  await page.getByTestId('branch-select').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('第一党支部', { exact: true }).click();
  await expect(page.getByTestId('evaluation-grade').first()).toHaveText(/优秀|合格|基本合格|不合格/);
});

test('the Party committee edits the rules in a form: bad values are shown at their fields, a good one is a new version', async ({ page }) => {
  await signIn(page, 'party');
  const before = await json<unknown[]>(await page.request.get('/api/v1/points/rule-sets', { headers: apiHeaders }));
  await page.goto('/points?tab=rules');
  await page.getByTestId('rules-new-version').click();
  const form = page.getByTestId('rules-form');
  const first = form.getByTestId('rules-rule').first();
  // a negative cap, then an absurd amount: the server's answer lands at the field
  await first.getByTestId('rules-cap').fill('-1');
  await page.locator('#rules-submit').click();
  await expect(first.locator('.ant-form-item-has-error').getByTestId('rules-cap')).toBeVisible();
  await first.getByTestId('rules-cap').fill('');
  await first.getByTestId('rules-amount').fill('1000000000');
  await page.locator('#rules-submit').click();
  await expect(first.locator('.ant-form-item-has-error').getByTestId('rules-amount')).toBeVisible();
  await first.getByTestId('rules-amount').fill('3');
  // a new activity rule with no type
  await form.getByTestId('rules-add').click();
  const added = form.getByTestId('rules-rule').last();
  await choose(page, added.getByTestId('rules-kind'), '参加活动');
  await added.getByTestId('rules-name').fill('参加主题党日');
  await page.locator('#rules-submit').click();
  await expect(added.locator('.ant-form-item-has-error').getByTestId('rules-types')).toBeVisible();
  await choose(page, added.getByTestId('rules-types'), '主题党日');
  await page.locator('#rules-submit').click();
  await expect(page.getByText('新版本已发布')).toBeVisible();
  const after = await json<{ version: number; rules: { nameZh: string; amount: number }[] }[]>(await page.request.get('/api/v1/points/rule-sets', { headers: apiHeaders }));
  expect(after).toHaveLength(before.length + 1);
  expect(after[0]?.rules.find((r) => r.nameZh === '参加主题党日')).toBeTruthy();
  expect(after[0]?.rules[0]?.amount).toBe(3);
});

test('the demo has points: member1 sees entries, the Party committee a request waiting for approval', async ({ page }) => {
  await apiSignIn(page.request, 'member1');
  const me = await json<{ entries: unknown[] }>(await page.request.get('/api/v1/points/me', { headers: apiHeaders }));
  expect(me.entries.length).toBeGreaterThan(0);
  await apiSignIn(page.request, 'party');
  const pending = await json<{ correctsEntryId: string | null }[]>(await page.request.get('/api/v1/points/manual-entries?status=pending', { headers: apiHeaders }));
  expect(pending.filter((x) => !x.correctsEntryId).length).toBeGreaterThan(0);
});
