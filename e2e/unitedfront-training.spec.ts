import { expect, test, type Locator, type Page } from '@playwright/test';
import { choose, signIn, unique } from './helpers';

// a class with two sessions, a visit, a case resolved and two timelines: many round trips
test.describe.configure({ timeout: 150_000 });

function local(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Fills an antd RangePicker (start, then end). */
async function fillRange(range: Locator, start: Date, end: Date): Promise<void> {
  await range.locator('input').first().click();
  await range.locator('input').first().fill(local(start));
  await range.locator('input').first().press('Enter');
  await range.locator('input').nth(1).fill(local(end));
  await range.locator('input').nth(1).press('Enter');
}

/** Picks a registry entry in a searching multiple select: type the name, click the option that has it. */
async function pick(page: Page, select: Locator, name: string): Promise<void> {
  await expect(async () => {
    await select.click();
    await select.locator('input').fill(name);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: name }).first().click({ timeout: 2_000 });
    await expect(select).toContainText(name, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await page.keyboard.press('Escape');
}

/** Like choose(), typing first: the type list is long and virtual (later options are not rendered until scrolled to). */
async function chooseTyped(page: Page, select: Locator, option: string): Promise<void> {
  await expect(async () => {
    if (!(await page.locator('.ant-select-dropdown:visible').count())) await select.click();
    await select.locator('input').fill(option);
    await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).first().click({ timeout: 2_000 });
    await expect(select).toContainText(option, { timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
}

/** The form item's select root (antd puts the label on the inner input). */
function selectOf(dialog: Locator, label: string): Locator {
  return dialog.locator('.ant-form-item').filter({ hasText: label }).locator('.ant-select').first();
}

test('united-front staff run a training class with two sessions for contacts, visit a Taiwan-funded enterprise that opens a case, resolve it, and read both timelines', async ({ page }) => {
  const suffix = unique();
  const classTopic = `党外代表人士培训班${suffix}`;
  const visitTopic = `走访台资企业${suffix}`;
  const problem = `厂房扩建审批慢${suffix}`;
  await signIn(page, 'tongzhan');

  // ---- the training class: two trainees from the contacts registry ----
  await page.getByTestId('menu-activities').click();
  await page.getByTestId('activity-new').click();
  let dialog = page.getByRole('dialog', { name: '新建活动' });
  await choose(page, dialog.getByTestId('activity-unit'), '党派工作科');
  await chooseTyped(page, dialog.getByTestId('activity-type'), '培训班');
  await dialog.getByLabel('主题').fill(classTopic);
  const day = new Date();
  day.setHours(9, 0, 0, 0);
  await fillRange(dialog.locator('.ant-picker-range').first(), day, new Date(day.getTime() + 8 * 3_600_000));
  await dialog.getByLabel('时长（小时）').fill('8');
  await pick(page, dialog.getByTestId('activity-contacts'), '林清远');
  await pick(page, dialog.getByTestId('activity-contacts'), '陈慧敏');
  await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('activity-topic')).toHaveText(classTopic);
  const participants = page.getByTestId('participants-table');
  await expect(participants.getByRole('row').filter({ hasText: '民主党派成员' })).toHaveCount(2);

  // two sessions
  const card = page.getByTestId('training-card');
  for (const [topic, hour] of [
    ['开班式与专题一', 9],
    ['专题二', 14],
  ] as const) {
    await card.getByTestId('session-topic').fill(topic);
    const s = new Date(day);
    s.setHours(hour);
    await fillRange(card.locator('.ant-picker-range'), s, new Date(s.getTime() + 2 * 3_600_000));
    await card.getByTestId('session-add').click();
    await expect(card.getByTestId('sessions-table').getByRole('row').filter({ hasText: topic })).toHaveCount(1);
  }

  // attendance per session: both at the first, only 林清远 at the second
  const tick = async (session: string, present: string[]) => {
    await card.getByTestId('sessions-table').getByRole('row').filter({ hasText: session }).getByTestId('session-tick').click();
    const modal = page.getByRole('dialog', { name: `课次考勤：${session}` });
    for (const name of ['林清远', '陈慧敏']) {
      const box = modal.getByRole('checkbox', { name: new RegExp(name) });
      if (present.includes(name)) await box.check();
      else await box.uncheck();
    }
    await modal.getByTestId('session-attendance-save').click();
    await expect(modal).toBeHidden();
  };
  await tick('开班式与专题一', ['林清远', '陈慧敏']);
  await tick('专题二', ['林清远']);
  await expect(card.getByTestId('training-summary')).toContainText('已结业 1 人');
  const completion = card.getByTestId('completion-table');
  await expect(completion.getByRole('row').filter({ hasText: '林清远' })).toContainText('已结业');
  await expect(completion.getByRole('row').filter({ hasText: '陈慧敏' })).toContainText('未结业');
  // the completed trainee is present: people-times count them
  await expect(participants.getByRole('row').filter({ hasText: '林清远' })).toContainText('出席');
  await page.getByTestId('mark-held').click();
  await expect(page.getByTestId('activity-status')).toHaveText('已召开');
  await page.getByTestId('mark-recorded').click();
  await expect(page.getByTestId('activity-status')).toHaveText('已记录');
  await expect(participants.getByRole('row').filter({ hasText: '陈慧敏' })).toContainText('缺席');

  // ---- the visit to a Taiwan-funded enterprise, with its chairman ----
  await page.getByTestId('menu-activities').click();
  await page.getByTestId('activity-new').click();
  dialog = page.getByRole('dialog', { name: '新建活动' });
  await choose(page, dialog.getByTestId('activity-unit'), '经济联络科');
  await chooseTyped(page, dialog.getByTestId('activity-type'), '走访调研');
  await dialog.getByLabel('主题').fill(visitTopic);
  await fillRange(dialog.locator('.ant-picker-range').first(), day, new Date(day.getTime() + 2 * 3_600_000));
  await choose(page, selectOf(dialog, '走访对象类型'), '企业');
  await dialog.getByLabel('走访对象名称').fill('闽台精密');
  await pick(page, dialog.getByTestId('activity-enterprises'), '闽台精密机械有限公司');
  await pick(page, dialog.getByTestId('activity-contacts'), '王建台');
  await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('activity-topic')).toHaveText(visitTopic);
  await expect(page.getByTestId('activity-enterprises-view')).toContainText('闽台精密机械有限公司');

  // the problem raised during the visit becomes a service case
  await page.getByTestId('open-case').click();
  const caseDialog = page.getByRole('dialog', { name: '登记诉求（办实事）' });
  await expect(caseDialog.getByTestId('case-requester')).toContainText('闽台精密机械有限公司');
  await expect(caseDialog.getByTestId('case-office')).toContainText('经济联络科');
  await caseDialog.getByTestId('case-category').fill('审批');
  await caseDialog.getByTestId('case-problem').fill(problem);
  await caseDialog.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(caseDialog).toBeHidden();
  await expect(page.getByText('已登记诉求')).toBeVisible();

  // ---- resolve it in the cases tab ----
  await page.getByTestId('menu-united-front').click();
  await page.getByTestId('tab-cases').click();
  await page.getByTestId('case-row').filter({ hasText: problem }).click();
  const drawer = page.getByTestId('case-drawer');
  await drawer.getByLabel('跟进情况').fill('已协调市自然资源局加快审批');
  await choose(page, drawer.getByTestId('case-next-status'), '已解决');
  await drawer.getByLabel('办理结果').fill('审批已办结');
  await drawer.getByTestId('case-followup-submit').click();
  await expect(drawer.getByRole('row', { name: /状态/ })).toContainText('已解决');
  await drawer.getByRole('button', { name: /关\s*闭|Close/ }).first().click();

  // ---- the enterprise's timeline: the visit, the case raised and resolved ----
  await page.getByTestId('tab-enterprises').click();
  await page.getByTestId('enterprise-row').filter({ hasText: '闽台精密机械有限公司' }).click();
  const ed = page.getByTestId('enterprise-drawer');
  await ed.getByRole('tab', { name: '时间线' }).click();
  await expect(ed.getByTestId('timeline-entry').filter({ hasText: '走访调研' }).filter({ hasText: visitTopic })).toHaveCount(1);
  await expect(ed.getByTestId('timeline-entry').filter({ hasText: '提出诉求' }).filter({ hasText: problem })).toHaveCount(1);
  await expect(ed.getByTestId('timeline-entry').filter({ hasText: '诉求已解决' }).filter({ hasText: problem })).toHaveCount(1);
  await ed.getByRole('button', { name: /关\s*闭|Close/ }).first().click();

  // ---- the contacts' timelines: the training completed, the visit ----
  await page.getByRole('tab', { name: '统战成员' }).click();
  for (const [name, label, topic] of [
    ['林清远', '参加培训（已结业）', classTopic],
    ['王建台', '走访调研', visitTopic],
  ] as const) {
    await page.getByTestId('contact-filter-q').fill(name);
    await page.getByTestId('contact-filter-submit').click();
    await expect(page.getByTestId('contact-row')).toHaveCount(1);
    await page.getByTestId('contact-row').first().click();
    const cd = page.getByTestId('contact-drawer');
    await cd.getByTestId('contact-timeline-tab').click();
    await expect(cd.getByTestId('timeline-entry').filter({ hasText: label }).filter({ hasText: topic })).toHaveCount(1);
    // the entry opens the activity
    if (name === '林清远') {
      await cd.getByRole('link', { name: topic }).click();
      await expect(page.getByTestId('activity-topic')).toHaveText(topic);
      await page.goBack();
      await page.getByRole('tab', { name: '统战成员' }).click();
    } else {
      await cd.getByRole('button', { name: /关\s*闭|Close/ }).first().click();
    }
  }
});
