import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { apiHeaders, apiSignIn, signIn } from './helpers';

test('a leader opens the dashboard and a bar’s records, previews the shipped work summary, edits a sentence, exports DOCX and XLSX ledgers and checks a draft', async ({ page, request }) => {
  // LibreOffice renders the exported DOCX at the end (a few seconds on a busy machine)
  test.setTimeout(120_000);
  // a warning-education session held this year, organised by the organ Party committee
  await apiSignIn(request, 'party');
  const units = (await (await request.get('/api/v1/org/units', { headers: apiHeaders })).json()) as { items: { id: string; type: string }[] };
  const types = (await (await request.get('/api/v1/activity-types', { headers: apiHeaders })).json()) as { items: { id: string; code: string }[] };
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const created = await request.post('/api/v1/activities', {
    headers: apiHeaders,
    data: {
      typeId: types.items.find((x) => x.code === 'warning_education')?.id,
      unitId: units.items.find((u) => u.type === 'party_committee')?.id,
      topic: `警示教育报告会${Date.now().toString(36)}`,
      startsAt: `${day}T09:00:00+08:00`,
      endsAt: `${day}T10:00:00+08:00`,
      extra: {},
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const a = (await created.json()) as { id: string; version: number; topic: string };
  expect((await request.post(`/api/v1/activities/${a.id}/transition`, { headers: apiHeaders, data: { version: a.version, status: 'held' } })).status()).toBe(200);

  await signIn(page, 'leader');
  await page.getByTestId('menu-reports').click();
  await expect(page).toHaveURL(/\/reports$/);

  // dashboard: key figures with the previous period; a bar of the types chart opens its records
  await expect(page.getByTestId('dashboard-figure').first()).toBeVisible();
  const chart = page.getByTestId('chart-types');
  await expect(chart.locator('canvas')).toBeVisible();
  const drawer = page.getByTestId('evidence-drawer');
  await expect(async () => {
    // the first (largest) bar starts at the grid's left edge, in the first 36 px band under an 8 px margin
    await chart.click({ position: { x: 160, y: 27 } });
    await expect(drawer).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  await expect(drawer).toContainText('activities.count');
  await expect(drawer.getByRole('row')).not.toHaveCount(1);
  // the bar's records, exported: a row per record under the figure's own heading
  const evidence = page.waitForEvent('download');
  await drawer.getByTestId('evidence-export').click();
  expect((await evidence).suggestedFilename()).toMatch(/^依据记录-活动次数-.*\.xlsx$/);
  const records = new ExcelJS.Workbook();
  await records.xlsx.readFile(await (await evidence).path());
  const sheet = records.getWorksheet('依据记录');
  expect(String(sheet?.getRow(1).getCell(1).value)).toMatch(/^活动次数：\d+次$/);
  // two heading lines, a blank, the header, then at least the session created above
  expect(sheet?.rowCount).toBeGreaterThanOrEqual(5);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  await page.getByRole('tab', { name: '工作总结' }).click();

  // the first shipped template is chosen and previewed with its figures resolved
  await expect(page.getByTestId('report-template')).toContainText('模范机关建设工作总结');
  const preview = page.getByTestId('report-preview');
  await expect(preview).toContainText('一、实施思想政治引领行动');
  await expect(preview).not.toContainText('{{');
  const figures = page.getByTestId('report-figure');
  await expect(figures.first()).toBeVisible();
  expect(await figures.count()).toBeGreaterThan(20);

  // a figure opens the records behind it
  await figures.nth(1).click();
  await expect(drawer).toBeVisible();
  await expect(drawer).toContainText('activities.count');
  await expect(drawer).toContainText('type=field_teaching');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // edit a sentence: the preview follows, a broken placeholder is pointed at
  const body = page.getByTestId('report-body');
  await body.fill(`${await body.inputValue()}\n本年度共开展现场教学{{activities.count type=field_teaching}}次，另有{{activities.count type=}}。`);
  await expect(page.getByTestId('report-errors')).toContainText('missing value after =');
  await expect(page.getByTestId('report-export')).toBeDisabled();
  await body.fill((await body.inputValue()).replace('，另有{{activities.count type=}}。', '。'));
  await expect(preview).toContainText(/本年度共开展现场教学\d+次。/);
  await expect(page.getByTestId('report-errors')).toBeHidden();

  // export the official-document DOCX
  const download = page.waitForEvent('download');
  await page.getByTestId('report-export').click();
  expect((await download).suggestedFilename()).toMatch(/^模范机关建设工作总结-\d{4}-01-01-\d{4}-12-31\.docx$/);
  // where LibreOffice is installed (CI installs it), its PDF rendering is kept as an artifact
  const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => fs.existsSync(p));
  if (soffice) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tx-summary-'));
    try {
      const docx = path.join(dir, 'summary.docx');
      await (await download).saveAs(docx);
      await promisify(execFile)(soffice, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, docx], { timeout: 90_000 });
      expect(fs.readFileSync(path.join(dir, 'summary.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
      await test.info().attach('summary.pdf', { path: path.join(dir, 'summary.pdf'), contentType: 'application/pdf' });
      // page 1 as an image (poppler's pdftoppm: Debian's writer-only LibreOffice has no PNG filter), kept as an artifact
      if (fs.existsSync('/usr/bin/pdftoppm')) {
        await promisify(execFile)('/usr/bin/pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', path.join(dir, 'summary.pdf'), path.join(dir, 'page1')], { timeout: 30_000 });
        const png = fs.readFileSync(path.join(dir, 'page1.png'));
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        // IHDR: A4 at 60 dpi is about 496 × 702 pixels; a page with a title and text compresses to more than a blank one
        const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
        expect(Math.abs(width - 496)).toBeLessThan(10);
        expect(Math.abs(height - 702)).toBeLessThan(10);
        expect(png.length).toBeGreaterThan(8_000);
        // written to the test's output directory (test-results/e2e-artifacts/…), which CI keeps
        const kept = test.info().outputPath('summary-page1.png');
        fs.writeFileSync(kept, png);
        await test.info().attach('summary-page1.png', { path: kept, contentType: 'image/png' });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  // the ledgers: the activities ledger of the year holds the session created above; the combined workbook has a sheet per area
  await page.getByRole('tab', { name: '台账' }).click();
  const ledger = page.waitForEvent('download');
  await page.getByTestId('ledger-activities').click();
  const xlsxPath = await (await ledger).path();
  expect((await ledger).suggestedFilename()).toMatch(/^活动台账-\d{8}-\d{8}\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsxPath);
  const rows: string[] = [];
  wb.getWorksheet('活动台账')?.eachRow((r) => rows.push(String(r.getCell(5).value)));
  expect(rows[0]).toBe('主题');
  expect(rows).toContain(a.topic);
  const combined = page.waitForEvent('download');
  await page.getByTestId('ledger-combined').click();
  const all = new ExcelJS.Workbook();
  await all.xlsx.readFile(await (await combined).path());
  expect(all.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['说明', '活动台账', '整改台账', '企业台账']));

  // figure check of a hand-written draft
  await page.getByRole('tab', { name: '数据核对' }).click();
  await page.getByTestId('check-text').fill('先后开展党史学习教育现场教学4次。编组划分三个党小组。');
  await page.getByTestId('check-run').click();
  const table = page.getByTestId('check-table');
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('row').nth(1)).toContainText('4次');
  await expect(table.getByRole('row').nth(1)).toContainText(/不一致|一致/);
  await expect(table.getByRole('row').nth(2)).toContainText('无法判断');
});

test('the dashboard shows duties met and missed and the points distribution; a duty’s bar opens the units that missed it', async ({ page }) => {
  await signIn(page, 'leader');
  await page.getByTestId('menu-reports').click();
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.getByTestId('chart-points').locator('canvas')).toBeVisible();
  const chart = page.getByTestId('chart-duties');
  await expect(chart.locator('canvas')).toBeVisible();
  const drawer = page.getByTestId('evidence-drawer');
  await expect(async () => {
    // the first rule's bar (met, then missed, stacked) starts at the grid's left edge, in the first 36 px band under the legend
    await chart.click({ position: { x: 194, y: 50 } });
    await expect(drawer).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  await expect(drawer).toContainText('未完成该规定动作的单位');
  await expect(drawer).toContainText('duties.missed');
  // exported through the dashboard's own records export, under the bar's heading
  const download = page.waitForEvent('download');
  await drawer.getByTestId('evidence-export').click();
  expect((await download).suggestedFilename()).toMatch(/^依据记录-未完成规定动作.*\.xlsx$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await (await download).path());
  expect(String(book.getWorksheet('依据记录')?.getRow(1).getCell(1).value)).toMatch(/^未完成规定动作（.+）：\d+次$/);
});
