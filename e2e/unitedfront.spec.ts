import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { apiHeaders, apiSignIn, choose, signIn, unique } from './helpers';

// an import of 50 rows and two drawers per test: more than the default on a busy 2-core machine
test.describe.configure({ timeout: 90_000 });

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A resident ID number with its GB 11643 check digit. */
function idNumber(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (weights[i] ?? 0);
  return `${first17}${'10X98765432'[sum % 11]}`;
}

test('united-front staff imports 50 contacts with 2 duplicates reported and merged, then reads a timeline', async ({ page }) => {
  const suffix = unique();
  const run = String(Date.now() % 1000).padStart(3, '0');
  const nameOf = (i: number) => `统战${suffix}${String.fromCharCode(0x4e00 + i)}`;
  const phoneOf = (i: number) => `135${run}${String(i).padStart(5, '0')}`;
  const idOf = (i: number) => idNumber(`1101051975${run.slice(0, 2)}${String(i).padStart(5, '0')}`);

  await signIn(page, 'tongzhan');

  // two contacts registered before the import: one will match by ID number, one by name + phone
  const cat = await (await page.request.get('/api/v1/unitedfront/catalogues')).json();
  const nonParty = cat.categories.find((c: { code: string }) => c.code === 'non_party').id;
  const units = await (await page.request.get('/api/v1/org/units')).json();
  const office = units.items.find((u: { name: string }) => u.name === '党派工作科');
  for (const [i, body] of [
    [3, { idNumber: idOf(3) }],
    [7, { phone: phoneOf(7) }],
  ] as const) {
    const res = await page.request.post('/api/v1/unitedfront/contacts', {
      headers: apiHeaders,
      data: { name: nameOf(i), officeId: office.id, categoryIds: [nonParty], ...body },
    });
    expect(res.status()).toBe(201);
  }

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('统战成员');
  ws.addRow(['姓名*', '类别*', '所属党派', '工作单位', '职务', '手机号码', '身份证号', '标签', '主管科室*']);
  for (let i = 0; i < 50; i++) {
    const democrat = i % 5 === 0;
    ws.addRow([
      nameOf(i),
      democrat ? '民主党派成员' : '党外知识分子',
      democrat ? '九三学社' : null,
      '某大学',
      i === 3 ? '教授（导入更新）' : '讲师',
      phoneOf(i),
      i === 7 ? null : idOf(i),
      '导入',
      '党派工作科',
    ]);
  }
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());

  await page.getByTestId('menu-united-front').click();
  await expect(page).toHaveURL(/\/united-front$/);
  await page.getByTestId('contact-import').click();
  const dialog = page.getByRole('dialog', { name: '导入统战成员' });
  await dialog.locator('input[type=file]').setInputFiles({ name: '统战成员.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  await dialog.getByTestId('import-start').click();

  // the two matches are reported, nothing imported yet
  const dups = dialog.getByTestId('import-duplicates');
  await expect(dups.locator('tbody tr')).toHaveCount(2);
  await expect(dups).toContainText(`与已登记的“${nameOf(3)}”重复（身份证号相同）`);
  await expect(dups).toContainText(`与已登记的“${nameOf(7)}”重复（姓名和手机号码相同）`);
  await dialog.getByTestId('dup-merge-all').click();
  await dialog.getByTestId('import-start').click();
  await expect(dialog.getByTestId('import-done')).toHaveText('导入完成：新增 48 人，合并 2 人，跳过 0 人');
  await dialog.getByRole('button', { name: '关 闭' }).click();

  // the list finds them by a fragment of the name
  await page.getByTestId('contact-filter-q').fill(`${suffix}`);
  await page.getByTestId('contact-filter-submit').click();
  await expect(page.getByTestId('contacts-tab').getByText('共 50 条')).toBeVisible();

  // the merged contact: registration, then the merge, on its timeline
  await page.getByTestId('contact-filter-q').fill(nameOf(3));
  await page.getByTestId('contact-filter-submit').click();
  const rows = page.getByTestId('contact-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('教授（导入更新）');
  await rows.first().click();
  const drawer = page.getByTestId('contact-drawer');
  await expect(drawer).toContainText('党外知识分子');
  // the ID number is masked until revealed (each reveal is audited)
  await expect(drawer.getByTestId('masked-idNumber')).not.toContainText(idOf(3));
  await drawer.getByTestId('reveal-idNumber').click();
  await expect(drawer).toContainText(idOf(3));
  await drawer.getByTestId('contact-timeline-tab').click();
  const entries = drawer.getByTestId('timeline-entry');
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText('导入合并');
  await expect(entries.nth(1)).toContainText('登记');
});

test('an enterprise with an invalid credit code is refused in the form; a valid one shows its contact on the timeline', async ({ page }) => {
  await signIn(page, 'tongzhan');
  await page.getByTestId('menu-united-front').click();
  await page.getByTestId('tab-enterprises').click();
  await expect(page.getByTestId('enterprises-table')).toContainText('闽台精密机械有限公司');
  await page.getByTestId('enterprise-row').filter({ hasText: '闽台精密机械有限公司' }).click();
  const drawer = page.getByTestId('enterprise-drawer');
  await expect(drawer).toContainText('台资企业');
  await drawer.getByRole('tab', { name: '时间线' }).click();
  await expect(drawer.getByTestId('timeline-entry').filter({ hasText: '关联联系人' })).toContainText('王建台');
  await drawer.getByRole('button', { name: /关\s*闭|Close/ }).first().click();

  await page.getByTestId('enterprise-create').click();
  const dialog = page.getByRole('dialog', { name: '新增企业' });
  await dialog.getByLabel('企业名称').fill('校验位错误公司');
  await dialog.getByTestId('enterprise-credit-code').fill('91350100M000100Y44');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toContainText('统一社会信用代码格式或校验位不正确');
});

test('a Taiwan-funded enterprise raises a case, it is resolved with a result, and the enterprise timeline shows both', async ({ page }) => {
  const problem = `用工招聘困难${unique()}`;
  await signIn(page, 'tongzhan');
  await page.getByTestId('menu-united-front').click();
  await page.getByTestId('tab-cases').click();
  await page.getByTestId('case-create').click();
  const dialog = page.getByRole('dialog', { name: '登记诉求' });
  await choose(page, dialog.getByTestId('case-requester'), '闽台精密机械有限公司');
  await choose(page, dialog.getByTestId('case-office'), '经济联络科');
  await dialog.getByLabel('类别').fill('用工');
  await dialog.getByLabel('诉求内容').fill(problem);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();

  await page.getByTestId('case-row').filter({ hasText: problem }).click();
  const drawer = page.getByTestId('case-drawer');
  await expect(drawer).toContainText('待办');
  await drawer.getByLabel('跟进情况').fill('已联系人社局，组织专场招聘会');
  await choose(page, drawer.getByTestId('case-next-status'), '已解决');
  // closing without a result is refused before it is sent
  await drawer.getByTestId('case-followup-submit').click();
  await expect(drawer).toContainText('请填写办理结果');
  await drawer.getByLabel('办理结果').fill('招到 30 名技术工人');
  await drawer.getByTestId('case-followup-submit').click();
  await expect(drawer.getByRole('row', { name: /状态/ })).toContainText('已解决');
  await drawer.getByRole('button', { name: /关\s*闭|Close/ }).first().click();

  await page.getByTestId('tab-enterprises').click();
  await page.getByTestId('enterprise-row').filter({ hasText: '闽台精密机械有限公司' }).click();
  const ed = page.getByTestId('enterprise-drawer');
  await ed.getByRole('tab', { name: '时间线' }).click();
  // the demo data may hold earlier cases of the same enterprise: look for this case's entries
  await expect(ed.getByTestId('timeline-entry').filter({ hasText: '诉求已解决' }).filter({ hasText: problem })).toHaveCount(1);
  await expect(ed.getByTestId('timeline-entry').filter({ hasText: '提出诉求' }).filter({ hasText: problem })).toHaveCount(1);
});

/** The first person the owner/lead picker offers, as its option reads. */
async function firstPersonOption(page: import('@playwright/test').Page): Promise<string> {
  const people = await (await page.request.get('/api/v1/unitedfront/integrity/people')).json();
  const p = people.items[0] as { name: string; officeName: string | null };
  return p.officeName ? `${p.name}（${p.officeName}）` : p.name;
}

test('a research topic links a held field visit, shows the district visited, collects a suggestion, takes its report and a recommendation', async ({ page, playwright }) => {
  const suffix = unique();
  await signIn(page, 'tongzhan');
  // the organ Party committee records the field visit (united-front staff do not plan activities)
  const partyCtx = await playwright.request.newContext({ baseURL: new URL(page.url()).origin });
  await apiSignIn(partyCtx, 'party');
  const types = await (await partyCtx.get('/api/v1/activity-types')).json();
  const visitType = types.items.find((t: { code: string }) => t.code === 'field_visit');
  const units = await (await partyCtx.get('/api/v1/org/units')).json();
  const committee = units.items.find((u: { name: string }) => u.name === '机关党委');
  const start = Date.now() - 3 * 86_400_000;
  const created = await partyCtx.post('/api/v1/activities', {
    headers: apiHeaders,
    data: { typeId: visitType.id, unitId: committee.id, topic: `调研走访宣州区${suffix}`, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3_600_000).toISOString(), extra: { placeKind: 'district', placeName: '宣州区' } },
  });
  expect(created.status()).toBe(201);
  const visit = await created.json();
  expect((await partyCtx.post(`/api/v1/activities/${visit.id}/transition`, { headers: apiHeaders, data: { version: visit.version, status: 'held' } })).status()).toBe(200);
  await partyCtx.dispose();

  const lead = await firstPersonOption(page);
  await page.getByTestId('menu-united-front').click();
  await page.getByTestId('tab-research').click();
  // the demo department's own topic, with its linked visits and suggestions
  await expect(page.getByTestId('topic-row').filter({ hasText: '持续优化营商环境' })).toBeVisible();
  await page.getByTestId('topic-create').click();
  const dialog = page.getByRole('dialog', { name: '立项调研课题' });
  const title = `构建亲清新型政商关系${suffix}`;
  await dialog.getByTestId('topic-title').fill(title);
  await choose(page, dialog.getByTestId('topic-office'), '经济联络科');
  await choose(page, dialog.getByTestId('topic-lead'), lead);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();

  const drawer = page.getByTestId('topic-drawer');
  await expect(drawer).toContainText(title);
  await drawer.getByTestId('topic-link-activity').click();
  await page.keyboard.type(suffix);
  await page.locator('.ant-select-dropdown:visible').getByText(`调研走访宣州区${suffix}`).first().click();
  await drawer.getByTestId('topic-link-submit').click();
  await expect(drawer.getByTestId('topic-activities')).toContainText(`调研走访宣州区${suffix}`);
  await expect(drawer.getByTestId('topic-places')).toContainText('区县：宣州区');

  await drawer.getByTestId('suggestion-content').fill('建立涉企问题首问负责制');
  await drawer.getByTestId('suggestion-submit').click();
  await expect(drawer.getByTestId('topic-suggestions')).toContainText('建立涉企问题首问负责制');

  await drawer.locator('input[type=file]').setInputFiles({ name: '调研报告.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await expect(drawer.getByTestId('topic-report-link')).toContainText('调研报告.pdf');

  await drawer.getByTestId('recommendation-content').fill('推行企业诉求“一站式”受理');
  await drawer.getByTestId('recommendation-submit').click();
  await expect(drawer.getByTestId('topic-recommendations')).toContainText('推行企业诉求“一站式”受理');
  // the recommendation becomes a measure of the demo department's problem, and links to it
  await drawer.getByTestId('recommendation-to-measure').click();
  const md = page.getByRole('dialog', { name: '转为整改措施' });
  await md.getByTestId('to-measure-problem').click();
  await page.keyboard.type('深入基层调研');
  await page.locator('.ant-select-dropdown:visible').getByText('深入基层调研不够经常').first().click();
  const deadline = md.getByLabel('完成时限');
  await deadline.click();
  await deadline.fill('2026-12-31');
  await deadline.press('Enter');
  await md.getByTestId('to-measure-ok').click();
  await expect(md).toBeHidden();
  await drawer.getByTestId('recommendation-measure-link').click();
  await expect(page).toHaveURL(/\/programs\/problems\//);
  await expect(page.getByTestId('measure').filter({ hasText: '推行企业诉求“一站式”受理' })).toBeVisible();
  await page.goBack();
  await page.getByTestId('tab-research').click();
  await expect(page.getByTestId('topic-row').filter({ hasText: title })).toContainText('1');
});

test('an integrity risk point needs an owner, is reviewed; a rule is revised to version 2', async ({ page }) => {
  const suffix = unique();
  await signIn(page, 'tongzhan');
  const owner = await firstPersonOption(page);
  await page.getByTestId('menu-united-front').click();
  await page.getByTestId('tab-integrity').click();

  await page.getByTestId('risk-create').click();
  const dialog = page.getByRole('dialog', { name: '登记风险点' });
  await choose(page, dialog.getByTestId('risk-office'), '办公室');
  await dialog.getByTestId('risk-duty').fill(`公务接待${suffix}`);
  await dialog.getByTestId('risk-risk').fill('超标准接待');
  await dialog.getByTestId('risk-controls').fill('事前审批、清单报销');
  // no owner: refused before it is sent
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toContainText('请填写责任人');
  await choose(page, dialog.getByTestId('risk-owner'), owner);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId('risks-table').getByRole('row').filter({ hasText: `公务接待${suffix}` });
  await expect(row).toContainText(owner.replace(/（.*$/, ''));
  await row.getByTestId('risk-review').click();
  await page.getByRole('dialog', { name: '记录复核' }).getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(row.getByRole('cell').nth(7)).toHaveText('1');

  await page.getByTestId('rule-create').click();
  const rd = page.getByRole('dialog', { name: '登记制度' });
  await choose(page, rd.getByTestId('rule-office'), '办公室');
  await rd.getByTestId('rule-title').fill(`差旅费管理办法${suffix}`);
  await rd.getByTestId('rule-summary').fill('首次制定');
  await rd.getByRole('button', { name: /保\s*存/ }).click();
  await expect(rd).toBeHidden();
  const ruleRow = page.getByTestId('rules-table').getByRole('row').filter({ hasText: `差旅费管理办法${suffix}` });
  await expect(ruleRow).toContainText('第 1 版');
  await ruleRow.getByTestId('rule-revise').click();
  const rv = page.getByRole('dialog', { name: `修订制度：差旅费管理办法${suffix}` });
  await rv.getByTestId('rule-summary').fill('调整住宿标准');
  await rv.getByRole('button', { name: /保\s*存/ }).click();
  await expect(rv).toBeHidden();
  await expect(ruleRow).toContainText('第 2 版');
});

test('publicity items are counted per channel and adoption level and filtered by them', async ({ page }) => {
  const suffix = unique();
  await signIn(page, 'tongzhan');
  await page.getByTestId('menu-united-front').click();
  await page.getByTestId('tab-publicity').click();
  for (const [title, channel, level] of [
    [`统战之声专栏${suffix}`, '报刊专栏', null],
    [`向省委统战部报送信息${suffix}`, '向上级报送信息', '省级'],
  ] as const) {
    await page.getByTestId('publicity-create').click();
    const dialog = page.getByRole('dialog', { name: '登记宣传信息' });
    await dialog.getByTestId('publicity-title').fill(title);
    await choose(page, dialog.getByTestId('publicity-office'), '宣传研究室');
    await choose(page, dialog.getByTestId('publicity-channel'), channel);
    if (level) await choose(page, dialog.getByTestId('publicity-level'), level);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect(dialog).toBeHidden();
  }
  await expect(page.getByTestId('publicity-by-level')).toContainText('省级');
  await choose(page, page.getByTestId('publicity-filter-channel'), '向上级报送信息');
  await expect(page.getByTestId('publicity-table')).toContainText(`向省委统战部报送信息${suffix}`);
  await expect(page.getByTestId('publicity-table')).not.toContainText(`统战之声专栏${suffix}`);
});
