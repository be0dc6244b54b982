import { expect, test } from '@playwright/test';
import { choose, signIn, unique } from './helpers';

function local(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// two browsers (the secretary's and a phone) and a dozen round trips: more than the default 30 s on a busy CI machine
test.setTimeout(90_000);

test('a secretary schedules a theme Party day, a member signs in by phone from the QR link, the secretary records minutes', async ({ page, browser }) => {
  const topic = `主题党日${unique()}`;
  await signIn(page, 'secretary1');
  await page.getByTestId('menu-activities').click();
  await expect(page).toHaveURL(/\/activities$/);

  // schedule it for the branch, with the branch's members expected
  await page.getByTestId('activity-new').click();
  const dialog = page.getByRole('dialog', { name: '新建活动' });
  await choose(page, dialog.getByTestId('activity-unit'), '第一党支部');
  await choose(page, dialog.getByTestId('activity-type'), '主题党日');
  await dialog.getByLabel('主题').fill(topic);
  const start = new Date(Date.now() + 10 * 60_000);
  const end = new Date(start.getTime() + 2 * 3_600_000);
  const range = dialog.locator('.ant-picker-range');
  await range.locator('input').first().click();
  await range.locator('input').first().fill(local(start));
  await range.locator('input').first().press('Enter');
  await range.locator('input').nth(1).fill(local(end));
  await range.locator('input').nth(1).press('Enter');
  await dialog.getByLabel('地点').fill('党员活动室');
  await choose(page, dialog.getByTestId('activity-participant-units'), '第一党支部');
  await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('activity-topic')).toHaveText(topic);
  await expect(page.getByTestId('activity-status')).toHaveText('计划');

  // the QR code's link, as a phone would read it
  await page.getByTestId('show-qr').click();
  const link = page.getByTestId('signin-link');
  await expect(link).toHaveAttribute('href', /\/m\/signin\/[0-9a-f-]+\?c=/);
  const href = (await link.getAttribute('href')) ?? '';
  await expect(page.getByTestId('signin-qr').locator('canvas')).toBeVisible();
  await page.keyboard.press('Escape');

  // member1 on a phone: sign-in first, then back to the sign-in page
  const phone = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const m = await phone.newPage();
  await m.goto(href);
  await expect(m).toHaveURL(/\/login/);
  await m.getByLabel('用户名').fill('member1');
  await m.getByLabel('密码').fill('Tongxin@2026');
  await m.getByRole('button', { name: /登\s*录/ }).click();
  await expect(m).toHaveURL(/\/m\/signin\//);
  await expect(m.getByTestId('signin-topic')).toHaveText(topic);
  await m.getByTestId('signin-button').click();
  await expect(m.getByTestId('signin-done')).toContainText('签到成功');
  // nothing wider than the phone
  expect(await m.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await m.reload();
  await expect(m.getByTestId('signin-done')).toContainText('您已签到');
  await phone.close();

  // the secretary sees the sign-in, writes the minutes and records the activity
  await page.reload();
  const table = page.getByTestId('participants-table');
  await expect(table.getByRole('row').filter({ hasText: '扫码' })).toHaveCount(1);
  const editor = page.getByTestId('minutes-editor');
  await editor.click();
  await editor.pressSequentially('会议学习了党章，讨论了下阶段工作。');
  await page.getByTestId('minutes-save').click();
  await expect(page.getByText('会议记录已保存')).toBeVisible();
  await page.getByTestId('mark-held').click();
  await expect(page.getByTestId('activity-status')).toHaveText('已召开');
  await page.getByTestId('mark-recorded').click();
  await expect(page.getByTestId('activity-status')).toHaveText('已记录');
  await expect(editor).toContainText('会议学习了党章');
  // unknown attendance became absent at recording; the member stays present
  await expect(table.getByRole('row').filter({ hasText: '出席' })).toHaveCount(1);
  await expect(table.getByRole('row').filter({ hasText: '待登记' })).toHaveCount(0);
});

test('united-front staff plan a symposium with people outside the Party from the contacts registry and take their attendance', async ({ page }) => {
  const topic = `党外人士座谈会${unique()}`;
  await signIn(page, 'tongzhan');
  await page.getByTestId('menu-activities').click();
  await page.getByTestId('activity-new').click();
  const dialog = page.getByRole('dialog', { name: '新建活动' });
  await choose(page, dialog.getByTestId('activity-unit'), '党派工作科');
  // the type list is long and virtual: type to find the option
  await expect(async () => {
    const select = dialog.getByTestId('activity-type');
    if (!(await page.locator('.ant-select-dropdown:visible').count())) await select.click();
    await select.locator('input').fill('座谈会');
    await page.locator('.ant-select-dropdown:visible').getByTitle('座谈会/研讨会', { exact: true }).click({ timeout: 2_000 });
  }).toPass({ timeout: 10_000 });
  await dialog.getByLabel('主题').fill(topic);
  const start = new Date(Date.now() - 60 * 60_000);
  const range = dialog.locator('.ant-picker-range');
  await range.locator('input').first().click();
  await range.locator('input').first().fill(local(start));
  await range.locator('input').first().press('Enter');
  await range.locator('input').nth(1).fill(local(new Date(start.getTime() + 2 * 3_600_000)));
  await range.locator('input').nth(1).press('Enter');
  const contacts = dialog.getByTestId('activity-contacts');
  await expect(async () => {
    await contacts.click();
    await contacts.locator('input').fill('周文博');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '周文博' }).first().click({ timeout: 2_000 });
    await expect(contacts).toContainText('周文博', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await page.keyboard.press('Escape');
  await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('activity-topic')).toHaveText(topic);

  // the contact shows with their categories; the organiser marks them present (contacts sign in through the organiser)
  const table = page.getByTestId('participants-table');
  const row = table.getByRole('row').filter({ hasText: '周文博' });
  await expect(row).toContainText('无党派人士');
  await row.getByRole('checkbox').check();
  await page.getByTestId('mark-present').click();
  await expect(row).toContainText('出席');
  await expect(row).toContainText('登记');
});
