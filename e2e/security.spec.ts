import { expect, test } from '@playwright/test';
import { apiHeaders, apiSignIn, demoPassword, signIn } from './helpers';

test('the security admin changes the lockout threshold; it persists, and a stale save shows the newer policy', async ({
  page,
  request,
}) => {
  await signIn(page, 'security');
  // the security admin's home is the policy page; the audit trail is not theirs
  await expect(page).toHaveURL(/\/security$/);
  await expect(page.getByTestId('menu-security')).toHaveText('安全策略');
  await expect(page.getByTestId('menu-audit')).toHaveCount(0);
  await expect(page.getByTestId('menu-people')).toHaveCount(0);

  const threshold = page.getByLabel('连续失败锁定次数');
  await expect(threshold).not.toHaveValue('');
  await expect(page.getByLabel('密码有效期（天，0 表示永不过期）')).not.toHaveValue('');
  // the demo department does not require a second factor (switching it on would hold every
  // privileged user, this one included, on the enrolment page: see account.spec.ts)
  await expect(page.getByRole('switch', { name: '管理员及可查看/导出个人信息的人员须使用动态验证码' })).not.toBeChecked();
  // raised, never lowered: other specs sign in with a wrong password on purpose
  const next = Number(await threshold.inputValue()) + 1;
  await threshold.fill(String(next));
  await page.getByTestId('policy-save').click();
  await expect(page.getByText('安全策略已保存')).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('连续失败锁定次数')).toHaveValue(String(next));

  // someone else saves meanwhile (through the API): this page's version is now stale
  await apiSignIn(request, 'security');
  const got = await request.get('/api/v1/security/policy');
  expect(got.status()).toBe(200);
  const current = (await got.json()) as { lockoutMinutes: number };
  const otherMinutes = current.lockoutMinutes === 45 ? 46 : 45;
  const put = await request.put('/api/v1/security/policy', { data: { ...current, lockoutMinutes: otherMinutes }, headers: apiHeaders });
  expect(put.status()).toBe(200);

  await page.getByLabel('连续失败锁定次数').fill(String(next + 1));
  await page.getByTestId('policy-save').click();
  await expect(page.getByText('记录已被他人修改，请刷新后重试')).toBeVisible();
  // the form now shows the stored policy, not the draft
  await expect(page.getByLabel('锁定时长（分钟）')).toHaveValue(String(otherMinutes));
  await expect(page.getByLabel('连续失败锁定次数')).toHaveValue(String(next));

  // the cross-field rule is checked before anything is sent
  await page.getByLabel('密码有效期（天，0 表示永不过期）').fill('5');
  await page.getByLabel('到期前提醒天数').fill('5');
  await page.getByTestId('policy-save').click();
  await expect(page.getByText('提醒天数须小于密码有效期（5 天）')).toBeVisible();
});

test('the password change form shows why the server refused a new password', async ({ page }) => {
  await signIn(page, 'member1');
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: /修改密码/ }).click();
  const dialog = page.getByRole('dialog', { name: '修改密码' });
  // the hint gives the tenant's rules (GET /auth/password-rules), not fixed limits
  await expect(dialog.getByTestId('password-rules')).toHaveText(
    '密码至少 10 位，须包含大写字母、小写字母、数字、符号中的至少 3 类，不能包含用户名，且不能与最近 5 次使用过的密码相同。',
  );
  await dialog.getByLabel('新密码', { exact: true }).fill('Abcdefgh1');
  await expect(dialog.getByText('密码至少 10 位', { exact: true })).toBeVisible();
  await dialog.getByLabel('当前密码').fill(demoPassword);
  // passes the form's own check (the default policy); the server knows it is the current one
  await dialog.getByLabel('新密码', { exact: true }).fill(demoPassword);
  await dialog.getByLabel('确认新密码').fill(demoPassword);
  await dialog.getByRole('button', { name: '修改密码' }).click();
  await expect(dialog.getByText('新密码不能与当前密码相同')).toBeVisible();
});
