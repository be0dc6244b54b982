import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DateSchema, type ErrorDetail } from '@tongxin/contracts';
import { AppError } from './errors';

/**
 * Reading an import workbook, for any area: the data sheet row by row with exceljs's
 * streaming reader, columns found by header label, every problem kept with its Excel row
 * and column. (The people import has the same logic inline; it can move onto this.)
 */
export type ImportColumn<K extends string> = { key: K; label: string; required: boolean };
export type ImportCell = string | number | boolean | Date;
export type ImportRow<K extends string> = { row: number; cells: Partial<Record<K, ImportCell>> };

export type SheetSpec<K extends string> = {
  columns: readonly ImportColumn<K>[];
  /** a sheet of that name is never read as data */
  helpSheet: string;
  /** a row whose first column holds this is the template's example and is skipped */
  example: { key: K; value: string };
  maxRows: number;
};

/** A file that stops yielding rows for this long is treated as unreadable. */
const STALL_MS = 30_000;

export async function readSheetRows<K extends string>(data: Buffer, spec: SheetSpec<K>): Promise<ImportRow<K>[]> {
  const rows: ImportRow<K>[] = [];
  for await (const row of sheetRows(data, spec)) rows.push(row);
  return rows;
}

/**
 * The data rows one by one as the streaming reader produces them, for imports that must not
 * hold the whole file (the caller keeps what it needs of each row). Same checks and errors as
 * readSheetRows; a reader that stops producing rows for STALL_MS, while the caller waits for
 * the next one, ends it with UNSUPPORTED_FILE.
 */
export async function* sheetRows<K extends string>(data: Buffer, spec: SheetSpec<K>): AsyncGenerator<ImportRow<K>> {
  // a zip local-file header: every XLSX starts with it
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) throw new AppError('UNSUPPORTED_FILE');
  let lastProgress = Date.now();
  let fail: ((e: AppError) => void) | undefined;
  // some corrupt zips make exceljs's reader wait forever on an entry that never ends
  const timer = setInterval(() => {
    if (Date.now() - lastProgress > STALL_MS) fail?.(new AppError('UNSUPPORTED_FILE'));
  }, 1000);
  const it = parseRows(data, spec, () => {
    lastProgress = Date.now();
  });
  try {
    for (;;) {
      // the time the caller spends between rows is not the reader's stall
      lastProgress = Date.now();
      const next = await new Promise<IteratorResult<ImportRow<K>>>((resolve, reject) => {
        fail = reject;
        it.next().then(resolve, reject);
      });
      if (next.done) return;
      yield next.value;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('UNSUPPORTED_FILE');
  } finally {
    fail = undefined;
    clearInterval(timer);
    // a caller that stops early lets the reader go; not awaited: after a stall the reader's
    // pending step never settles and its return would wait for it
    void it.return(undefined).catch(() => undefined);
  }
}

async function* parseRows<K extends string>(data: Buffer, spec: SheetSpec<K>, progress: () => void): AsyncGenerator<ImportRow<K>> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // styles tell real dates from plain numbers
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  alignUtf8(reader);
  let sheetSeen = false;
  let count = 0;
  for await (const sheet of reader) {
    progress();
    if (sheetSeen || (sheet as unknown as { name?: string }).name === spec.helpSheet) continue;
    sheetSeen = true;
    let columns: Map<number, K> | undefined;
    for await (const row of sheet) {
      progress();
      if (!columns) {
        columns = headerColumns(spec, row.number === 1 ? row : undefined);
        if (row.number === 1) continue;
      }
      const cells: ImportRow<K>['cells'] = {};
      let blank = true;
      for (const [index, key] of columns) {
        const v = cellOf(row.getCell(index).value);
        if (v === null) continue;
        cells[key] = v;
        blank = false;
      }
      if (blank || cells[spec.example.key] === spec.example.value) continue;
      if (count >= spec.maxRows) throw new AppError('VALIDATION_FAILED', [{ path: 'file', problem: `超过 ${spec.maxRows} 行的上限` }]);
      count += 1;
      yield { row: row.number, cells };
    }
    if (!columns) headerColumns(spec, undefined);
  }
  if (!sheetSeen) throw new AppError('UNSUPPORTED_FILE');
}

/**
 * exceljs 4.4's streaming reader decodes each inflated chunk of a sheet or of the shared
 * strings on its own (TextDecoder without `stream: true`), so a Chinese character whose
 * three bytes straddle a chunk boundary becomes two U+FFFD: silently wrong names in an
 * import. Its worksheet and shared-strings parsers are methods of the reader, so this
 * instance gets versions fed with chunks that always end on a character boundary.
 */
type ReaderInternals = {
  _parseWorksheet: (iterator: AsyncIterable<Buffer | string>, sheetNo: string) => Generator<unknown>;
  _parseSharedStrings: (entry: NodeJS.ReadableStream & { autodrain?: () => void }) => AsyncGenerator<unknown>;
};

export function alignUtf8(reader: ExcelJS.stream.xlsx.WorkbookReader): void {
  const r = reader as unknown as ReaderInternals;
  const parseWorksheet = r._parseWorksheet.bind(reader);
  const parseSharedStrings = r._parseSharedStrings.bind(reader);
  r._parseWorksheet = (iterator, sheetNo) => parseWorksheet(utf8Chunks(iterator), sheetNo);
  r._parseSharedStrings = (entry) => parseSharedStrings(Readable.from(utf8Chunks(entry as AsyncIterable<Buffer>)));
}

/** Re-cuts a byte stream so no chunk ends inside a UTF-8 sequence (the tail waits for the next chunk). */
export async function* utf8Chunks(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const buf = carry.length ? Buffer.concat([carry, Buffer.from(chunk)]) : Buffer.from(chunk);
    const cut = completeLength(buf);
    carry = buf.subarray(cut);
    if (cut > 0) yield buf.subarray(0, cut);
  }
  if (carry.length) yield carry;
}

/** The length of the longest prefix that ends on a UTF-8 character boundary. */
export function completeLength(buf: Buffer): number {
  // a sequence is at most 4 bytes: look back at most 3 continuation bytes for its lead
  for (let back = 1; back <= Math.min(4, buf.length); back++) {
    const b = buf[buf.length - back] ?? 0;
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? buf.length - back : buf.length;
  }
  return buf.length;
}

function headerColumns<K extends string>(spec: SheetSpec<K>, row: ExcelJS.Row | undefined): Map<number, K> {
  const byLabel = new Map(spec.columns.map((c) => [c.label, c.key]));
  const labelOf = (k: K) => spec.columns.find((c) => c.key === k)?.label ?? k;
  const found = new Map<number, K>();
  const seen = new Set<K>();
  const problems: ErrorDetail[] = [];
  row?.eachCell((cell, index) => {
    const text = cellOf(cell.value);
    if (typeof text !== 'string') return;
    const key = byLabel.get(text.replace(/[*＊\s]/g, ''));
    if (!key) return;
    if (seen.has(key)) problems.push({ row: 1, column: labelOf(key), problem: '表头重复' });
    seen.add(key);
    found.set(index, key);
  });
  for (const c of spec.columns) {
    if (c.required && !seen.has(c.key)) problems.push({ row: 1, column: c.label, problem: '缺少必填列（第 1 行须为模板表头）' });
  }
  if (problems.length > 0) throw new AppError('IMPORT_INVALID', problems);
  return found;
}

/** A cell's value as text, number, boolean or date; null when empty. */
export function cellOf(v: ExcelJS.CellValue): ImportCell | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('richText' in v) return cellOf(v.richText.map((r) => r.text).join(''));
  if ('hyperlink' in v) return cellOf(v.text);
  if ('error' in v) return v.error;
  return v.result === undefined ? null : cellOf(v.result);
}

export function cellText(cell: ImportCell | undefined): string | null {
  if (cell === undefined) return null;
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell);
}

/** An Excel date, or text as YYYY-MM-DD (also with / or . and without leading zeros). */
export function cellDate(cell: ImportCell): string | undefined {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? undefined : cell.toISOString().slice(0, 10);
  if (typeof cell !== 'string') return undefined;
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(cell);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
  return DateSchema.safeParse(iso).success ? iso : undefined;
}

/** Collects problems, at most one per cell, keeping the first `max` but counting all. */
export class RowProblems<K extends string> {
  readonly details: ErrorDetail[] = [];
  total = 0;
  private cells = new Set<string>();
  constructor(
    private readonly labelOf: (key: K) => string,
    private readonly max = 500,
  ) {}
  add(row: number, key: K, problem: string) {
    const cell = `${row}:${key}`;
    if (this.cells.has(cell)) return;
    this.cells.add(cell);
    this.total += 1;
    if (this.details.length < this.max) this.details.push({ row, column: this.labelOf(key), problem });
  }
  has(row: number, key: K) {
    return this.cells.has(`${row}:${key}`);
  }
  list(): ErrorDetail[] {
    if (this.total <= this.max) return this.details;
    return [...this.details.slice(0, this.max - 1), { problem: `另有 ${this.total - (this.max - 1)} 处错误未列出` }];
  }
}
