import { expect, test, type Locator, type Page } from '@playwright/test';
import { apiHeaders, choose, signIn, unique } from './helpers';

const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

async function ok(dialog: Locator) {
  await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(dialog).toBeHidden();
}

async function pickDate(dialog: Locator, label: string, date: string) {
  const input = dialog.getByLabel(label);
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

async function newPage(browser: import('@playwright/test').Browser, o: { mobile?: boolean } = {}): Promise<Page> {
  const ctx = await browser.newContext(o.mobile ? { viewport: { width: 375, height: 667 }, locale: 'zh-CN', isMobile: true, hasTouch: true } : { locale: 'zh-CN' });
  return ctx.newPage();
}

test('theme education: program with four tracks, public feedback on a phone, problem claimed, two measures verified, progress moves', async ({ page, browser }) => {
  test.setTimeout(150_000);
  const title = `主题教育实施方案${unique()}`;

  // the organiser (organ Party committee staff) builds the program: 1 implementation plan + 4 specific plans
  await signIn(page, 'party');
  await page.getByTestId('menu-programs').click();
  await page.getByTestId('program-new').click();
  const pd = page.getByRole('dialog', { name: '新建方案' });
  await pd.getByTestId('program-title').fill(title);
  await choose(page, pd.getByTestId('program-unit'), '机关党委');
  await pickDate(pd, '开始日期', '2026-01-01');
  await pickDate(pd, '结束日期', '2026-12-31');
  await ok(pd);
  await expect(page.getByTestId('program-heading')).toHaveText(title);
  for (const track of ['学习教育方案', '调查研究方案', '检视问题方案', '整改落实方案']) {
    await page.getByTestId('item-add-root').click();
    const d = page.getByRole('dialog', { name: '添加一级项目' });
    await d.getByTestId('item-kind').fill('具体方案');
    await d.getByTestId('item-title').fill(track);
    await ok(d);
    await expect(page.getByTestId('item-row').filter({ hasText: track })).toBeVisible();
  }
  // the rectification plan's indicator counts rectified problems of this program
  await page.getByRole('row', { name: /整改落实方案/ }).getByTestId('indicator-add').click();
  const ind = page.getByRole('dialog', { name: '添加指标' });
  await ind.getByTestId('indicator-name').fill('问题整改销号');
  await choose(page, ind.getByTestId('indicator-source'), '已整改问题');
  await ind.getByTestId('indicator-target').fill('1');
  await ok(ind);
  await expect(page.getByRole('row', { name: /整改落实方案/ }).getByTestId('indicator-count')).toHaveText('0/1');
  await expect(page.getByTestId('program-progress')).toContainText('0%');
  const programUrl = page.url();

  // a feedback form for the program, published with a public link
  await page.goto('/programs/forms');
  await page.getByTestId('form-new').click();
  const fd = page.getByRole('dialog', { name: '新建征求意见表' });
  await fd.getByTestId('form-title').fill(`${title}征求意见表`);
  await choose(page, fd.getByTestId('form-program'), title);
  await ok(fd);
  await page.getByTestId('form-publish').click();
  await expect(page.getByTestId('form-status')).toHaveText('征求中');
  const link = (await page.getByTestId('form-link').textContent()) ?? '';
  expect(link).toMatch(/\/f\/[A-Za-z0-9_-]{22}$/);

  // an anonymous respondent answers on a phone, without an account
  const phone = await newPage(browser, { mobile: true });
  await phone.goto(link);
  await expect(phone.getByTestId('public-form-title')).toHaveText(`${title}征求意见表`);
  await phone.getByLabel('意见建议').fill('调研多在机关，下基层听取意见不够<script>alert(1)</script>');
  await phone.getByTestId('answer-submit').click();
  await expect(phone.getByText('提交成功，感谢您的意见建议！')).toBeVisible();
  await phone.context().close();

  // the organiser turns the response into a problem (the answer shows as text)
  await page.reload();
  await expect(page.getByTestId('answer').first()).toHaveText(/<script>alert\(1\)<\/script>/);
  await page.getByTestId('response-to-problem').click();
  const prob = page.getByRole('dialog', { name: '转为问题' });
  await prob.getByTestId('problem-title').fill('下基层调研不够');
  await choose(page, prob.getByTestId('problem-category'), '班子·工作方面');
  await ok(prob);
  await expect(page).toHaveURL(/\/programs\/problems\/[0-9a-f-]{36}$/);
  const problemUrl = page.url();

  // a leader claims it and adds two measures with evidence
  const leader = await newPage(browser);
  await signIn(leader, 'leader');
  await leader.goto(problemUrl);
  await leader.getByTestId('problem-claim').click();
  await expect(leader.getByTestId('claimants')).not.toHaveText('—');
  for (const m of ['每名班子成员联系一个基层支部', '每季度开展一次专题调研']) {
    await leader.getByTestId('measure-add').click();
    const md = leader.getByRole('dialog', { name: '添加措施' });
    await md.getByTestId('measure-title').fill(m);
    await pickDate(md, '完成时限', '2026-12-31');
    await ok(md);
    const row = leader.getByTestId('measure').filter({ hasText: m });
    await row.locator('input[type=file]').setInputFiles({ name: '佐证材料.pdf', mimeType: 'application/pdf', buffer: pdf });
    await expect(row.getByTestId('evidence')).toHaveText('佐证材料.pdf');
    await row.getByTestId('measure-progress').click();
    const pr = leader.getByRole('dialog', { name: '填报进展' });
    await pr.getByTestId('progress-percent').fill('100');
    await pr.getByTestId('progress-note').fill('已完成，附佐证材料');
    await ok(pr);
    await expect(row).toContainText('已完成');
  }
  // the leader owns the measures: no verify button for them
  await expect(leader.getByTestId('measure-verify')).toHaveCount(0);
  await leader.context().close();

  // the organiser (another person) verifies both: the problem is rectified and the program moves
  await page.goto(problemUrl);
  for (let i = 0; i < 2; i++) {
    await page.getByTestId('measure-verify').first().click();
    await expect(page.getByTestId('measure-closed')).toHaveCount(i + 1);
  }
  await expect(page.getByTestId('problem-status')).toHaveText('已整改');
  await page.goto(programUrl);
  await expect(page.getByRole('row', { name: /整改落实方案/ }).getByTestId('indicator-count')).toHaveText('1/1');
  await expect(page.getByTestId('program-progress')).not.toContainText(/^0%$/);
});

test('editing: program, items (rename, reorder), indicators, a problem, claim withdrawal, categories', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const suffix = unique();
  const title = `专项整治方案${suffix}`;
  await signIn(page, 'party');
  await page.goto('/programs');
  await page.getByTestId('program-new').click();
  const pd = page.getByRole('dialog', { name: '新建方案' });
  await pd.getByTestId('program-title').fill(title);
  await choose(page, pd.getByTestId('program-unit'), '机关党委');
  await pickDate(pd, '开始日期', '2026-01-01');
  await pickDate(pd, '结束日期', '2026-12-31');
  await ok(pd);
  await expect(page.getByTestId('program-heading')).toHaveText(title);
  const programId = page.url().split('/').pop() ?? '';

  // the program's own fields
  await page.getByTestId('program-edit').click();
  const ed = page.getByRole('dialog', { name: '编辑' });
  await ed.getByTestId('program-title').fill(`${title}（修订）`);
  await ok(ed);
  await expect(page.getByTestId('program-heading')).toHaveText(`${title}（修订）`);

  // two tracks: the first renamed, the second moved above it
  for (const track of ['甲行动', '乙行动']) {
    await page.getByTestId('item-add-root').click();
    const d = page.getByRole('dialog', { name: '添加一级项目' });
    await d.getByTestId('item-title').fill(track);
    await ok(d);
  }
  await page.getByRole('row', { name: /甲行动/ }).getByTestId('item-edit').click();
  const ie = page.getByRole('dialog', { name: '编辑项目' });
  await ie.getByTestId('item-title').fill('甲行动（调整）');
  await ok(ie);
  await expect(page.getByTestId('item-row').first()).toContainText('甲行动（调整）');
  await page.getByRole('row', { name: /乙行动/ }).getByTestId('item-up').click();
  await expect(page.getByTestId('item-row').first()).toContainText('乙行动');

  // an indicator added, renamed, deleted
  await page.getByRole('row', { name: /乙行动/ }).getByTestId('indicator-add').click();
  const ia = page.getByRole('dialog', { name: '添加指标' });
  await ia.getByTestId('indicator-name').fill('专题学习');
  await ia.getByTestId('indicator-target').fill('4');
  await ok(ia);
  await page.getByTestId('indicator').filter({ hasText: '专题学习' }).getByTestId('indicator-edit').click();
  const iu = page.getByRole('dialog', { name: '编辑指标' });
  await iu.getByTestId('indicator-name').fill('专题学习研讨');
  await iu.getByTestId('indicator-target').fill('6');
  await ok(iu);
  // what it counts depends on the department's activities this year: the target is what changed
  await expect(page.getByTestId('indicator').filter({ hasText: '专题学习研讨' }).getByTestId('indicator-count')).toHaveText(/^\d+\/6$/);
  await page.getByTestId('indicator').filter({ hasText: '专题学习研讨' }).getByTestId('indicator-delete').click();
  await page.getByRole('button', { name: /确\s*定|OK/ }).last().click();
  await expect(page.getByTestId('indicator')).toHaveCount(0);

  // a problem of this program: edited, claimed, the claim withdrawn
  const categories = await (await page.request.get('/api/v1/rectification/categories', { headers: apiHeaders })).json();
  const created = await page.request.post('/api/v1/rectification/problems', {
    headers: apiHeaders,
    data: { source: 'self_inspection', title: `会风不实${suffix}`, description: '会议多', categoryId: categories.items[0].id, foundOn: '2026-02-01', programId },
  });
  expect(created.status()).toBe(201);
  await page.goto(`/programs/problems/${(await created.json()).id}`);
  await page.getByTestId('problem-edit').click();
  const pe = page.getByRole('dialog', { name: '编辑问题' });
  await pe.getByTestId('problem-edit-description').fill('会议多、会期长、文件多');
  await choose(page, pe.getByTestId('problem-edit-source'), '监督检查');
  await ok(pe);
  await expect(page.getByText('会议多、会期长、文件多')).toBeVisible();
  await expect(page.getByText('监督检查')).toBeVisible();
  await page.getByTestId('problem-claim').click();
  await expect(page.getByTestId('claimants')).not.toHaveText('—');
  await page.getByTestId('problem-withdraw').click();
  await expect(page.getByTestId('claimants')).toHaveText('—');

  // the department leader (a department-wide grant) keeps the category list
  const leader = await browser.newPage({ locale: 'zh-CN' });
  await signIn(leader, 'leader');
  await leader.goto('/programs/problems');
  await leader.getByTestId('categories-manage').click();
  const cm = leader.getByRole('dialog', { name: '类别管理' });
  await cm.getByTestId('category-add').click();
  const ca = leader.getByRole('dialog', { name: '添加类别' });
  await ca.getByTestId('category-code').fill(`e2e_${suffix}`);
  await ca.getByTestId('category-name-zh').fill(`组织生活方面${suffix}`);
  await ca.getByTestId('category-name-en').fill('Organisational life');
  await ok(ca);
  const row = cm.getByRole('row', { name: new RegExp(`组织生活方面${suffix}`) });
  await row.getByTestId('category-edit').click();
  const ce = leader.getByRole('dialog', { name: '编辑' });
  await ce.getByTestId('category-name-zh').fill(`组织生活${suffix}`);
  await ok(ce);
  const renamed = cm.getByRole('row', { name: new RegExp(`组织生活${suffix}`) });
  await renamed.getByTestId('category-toggle').click();
  await expect(renamed).toContainText('已停用');
  await leader.context().close();
});
