import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { completeLength, readSheetRows, utf8Chunks } from './xlsx-import';

const spec = {
  columns: [
    { key: 'name', label: '姓名', required: true },
    { key: 'category', label: '类别', required: true },
  ] as const,
  helpSheet: '说明',
  example: { key: 'name' as const, value: '示例' },
  maxRows: 50_000,
};

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const c of source) out.push(c);
  return out;
}

describe('UTF-8 chunk alignment', () => {
  it('finds the last character boundary', () => {
    const zh = Buffer.from('统战', 'utf8'); // 6 bytes
    expect(completeLength(zh)).toBe(6);
    expect(completeLength(zh.subarray(0, 5))).toBe(3);
    expect(completeLength(zh.subarray(0, 4))).toBe(3);
    expect(completeLength(Buffer.from('ab'))).toBe(2);
    expect(completeLength(Buffer.from('😀', 'utf8').subarray(0, 3))).toBe(0);
  });

  it('re-cuts chunks split inside a character so each decodes on its own', async () => {
    const text = '侨胞侨眷'.repeat(100);
    const bytes = Buffer.from(text, 'utf8');
    const pieces = [bytes.subarray(0, 7), bytes.subarray(7, 500), bytes.subarray(500, 501), bytes.subarray(501)];
    async function* source() {
      yield* pieces;
    }
    const out = await collect(utf8Chunks(source()));
    expect(out.map((c) => new TextDecoder().decode(c)).join('')).toBe(text);
  });
});

describe('readSheetRows', () => {
  it('keeps every Chinese character of a sheet far larger than one inflate chunk', async () => {
    // the streaming writer, as generated files and the export are written
    const out = new PassThrough();
    const parts: Buffer[] = [];
    out.on('data', (c: Buffer) => parts.push(c));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet('统战成员');
    ws.addRow(['姓名*', '类别*']).commit();
    // mostly multibyte text, so nearly every chunk boundary falls inside a character
    for (let i = 0; i < 5000; i++) ws.addRow([`欧阳思远${i}`, `${i % 2 ? '侨胞侨眷' : '港澳台同胞及台属'}${'统一战线'.repeat(20)}`]).commit();
    ws.commit();
    await wb.commit();
    const rows = await readSheetRows(Buffer.concat(parts), spec);
    expect(rows).toHaveLength(5000);
    const bad = rows.filter((r) => String(r.cells.name).includes('\uFFFD') || String(r.cells.category).includes('\uFFFD'));
    expect(bad).toEqual([]);
    expect(rows[4999]?.cells).toEqual({ name: '欧阳思远4999', category: `侨胞侨眷${'统一战线'.repeat(20)}` });
  });

  it('keeps them in shared strings too (what Excel writes)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('统战成员');
    ws.addRow(['姓名*', '类别*']);
    for (let i = 0; i < 3000; i++) ws.addRow([`欧阳思远${i}`, `侨胞侨眷${i}${'统一战线'.repeat(20)}`]);
    const rows = await readSheetRows(Buffer.from(await wb.xlsx.writeBuffer()), spec);
    expect(rows.filter((r) => String(r.cells.category).includes('\uFFFD'))).toEqual([]);
    expect(rows[2999]?.cells.category).toBe(`侨胞侨眷2999${'统一战线'.repeat(20)}`);
  });
});
