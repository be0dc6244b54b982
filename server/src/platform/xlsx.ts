import { PassThrough, type Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { z } from 'zod';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const XLSX_DATE_FORMAT = 'yyyy-mm-dd';
/** Documents a download in OpenAPI; Fastify sends a Buffer or stream as is, never serialising it against this. */
export const XlsxFileResponse = { description: 'XLSX 文件', content: { [XLSX_MIME]: { schema: z.string().meta({ format: 'binary' }) } } };

/**
 * RFC 6266 / 5987: an ASCII fallback for old clients and the real (Chinese) name as
 * UTF-8, percent-encoded, in filename*.
 */
export function contentDisposition(fileName: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}

/** YYYYMMDD in China, whatever the server's time zone: for file names. */
export function shanghaiDate(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date())
    .replaceAll('-', '');
}

export type SheetColumn = { header: string; width: number; numFmt?: string };
type Cell = string | number | boolean | Date | null;

/**
 * A one-sheet workbook streamed as it is written: rows arrive in batches from the database
 * and leave to the client without the whole sheet ever sitting in memory.
 */
export function streamSheet(sheetName: string, columns: SheetColumn[], batches: AsyncIterable<Cell[][]>): Readable {
  const out = new PassThrough();
  writeSheet(out, sheetName, columns, batches).catch((err: unknown) => {
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return out;
}

async function writeSheet(out: PassThrough, sheetName: string, columns: SheetColumn[], batches: AsyncIterable<Cell[][]>): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '同心';
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  for await (const batch of batches) {
    for (const row of batch) ws.addRow(row).commit();
    // exceljs never pushes back; waiting for the client here keeps a slow download from
    // piling the whole sheet up in memory
    await drained(out);
  }
  ws.commit();
  // a client that goes away leaves commit() waiting for a 'finish' that never comes
  await Promise.all([wb.commit(), finished(out, { readable: false })]);
}

function drained(s: Writable): Promise<void> {
  if (s.destroyed) return Promise.reject(new Error('export stream closed'));
  if (!s.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      s.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      s.off('drain', onDrain);
      reject(new Error('export stream closed'));
    };
    s.once('drain', onDrain);
    s.once('close', onClose);
  });
}
