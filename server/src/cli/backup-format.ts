import { z } from 'zod';

/**
 * The backup file (docs/decisions/0005-backup-format.md): one gzip stream of
 *
 *   TONGXIN-BACKUP <format version>\n
 *   <manifest, one line of JSON>\n
 *   for each table of the manifest, in its order:
 *     TABLE <table name as a JSON string>\n
 *     <the output of COPY <table> (<columns>) TO STDOUT, text format: one line per row>
 *     \.\n
 *   END\n
 *
 * COPY's text format escapes backslashes, newlines and tabs inside values, so a data line
 * is never the two characters `\.`: that line can end a table without lengths or escaping,
 * the same convention as pg_dump's plain output, and `zcat file | less` shows the content.
 */
export const FORMAT_MAGIC = 'TONGXIN-BACKUP';
export const FORMAT_VERSION = 1;

const END_OF_DATA = Buffer.from('\\.\n');
const NL = 0x0a;
const BACKSLASH = 0x5c;
const DOT = 0x2e;

export const ManifestSchema = z.object({
  format: z.literal('tongxin-backup'),
  formatVersion: z.number().int(),
  createdAt: z.string(),
  appVersion: z.string(),
  serverVersion: z.string(),
  /** Server encoding of the source database: COPY text converts to it on restore. */
  encoding: z.string(),
  /** Rows of drizzle.__drizzle_migrations, oldest first: the schema the data belongs to. */
  migrations: z.array(z.object({ hash: z.string(), createdAt: z.number(), tag: z.string().nullable() })),
  /** Application tables in an order where referenced tables come before those referencing them. */
  tables: z.array(z.object({ name: z.string().min(1), columns: z.array(z.string().min(1)).min(1), rows: z.number().int().min(0) })),
  sequences: z.array(
    z.object({
      name: z.string().min(1),
      /** bigint as text */
      lastValue: z.string().regex(/^-?[0-9]+$/),
      isCalled: z.boolean(),
      ownedBy: z.object({ table: z.string(), column: z.string() }).nullable(),
    }),
  ),
  materializedViews: z.array(z.object({ name: z.string().min(1), populated: z.boolean() })),
});

export type Manifest = z.infer<typeof ManifestSchema>;

/** A backup file that cannot be read: damaged, truncated, not a backup, or from a newer format. */
export class BackupFileError extends Error {
  override name = 'BackupFileError';
}

export function headerBytes(manifest: Manifest): Buffer {
  return Buffer.from(`${FORMAT_MAGIC} ${FORMAT_VERSION}\n${JSON.stringify(manifest)}\n`);
}

export const tableStart = (name: string) => Buffer.from(`TABLE ${JSON.stringify(name)}\n`);
export const tableEnd = () => END_OF_DATA;
export const fileEnd = () => Buffer.from('END\n');

export function countLines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(NL); i >= 0; i = chunk.indexOf(NL, i + 1)) n++;
  return n;
}

/** Parses the decompressed stream piece by piece, so a table never has to fit in memory. */
export class BackupReader {
  private readonly it: AsyncIterator<Buffer>;
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private eof = false;
  /** Rows seen by the last completed `tableData()`. */
  rows = 0;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** Appends the next chunk to the unread rest; false at the end of the stream. */
  private async more(): Promise<boolean> {
    if (this.eof) return false;
    let r: IteratorResult<Buffer>;
    try {
      r = await this.it.next();
    } catch (e) {
      throw asFileError(e);
    }
    if (r.done) {
      this.eof = true;
      return false;
    }
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), r.value]) : r.value;
    this.pos = 0;
    return true;
  }

  private async line(what: string, max: number): Promise<string> {
    for (;;) {
      const nl = this.buf.indexOf(NL, this.pos);
      if (nl >= 0 && nl - this.pos <= max) {
        const s = this.buf.toString('utf8', this.pos, nl);
        this.pos = nl + 1;
        return s;
      }
      if (nl >= 0 || this.buf.length - this.pos > max) throw new BackupFileError(`Not a Tongxin backup, or a damaged one: ${what} is missing.`);
      if (!(await this.more())) throw new BackupFileError(`The backup file is incomplete: it ends before ${what}.`);
    }
  }

  async readHeader(): Promise<Manifest> {
    const first = await this.line('the header line', 64);
    const m = new RegExp(`^${FORMAT_MAGIC} ([0-9]+)$`).exec(first);
    if (!m) throw new BackupFileError('Not a Tongxin backup file (the header line is missing).');
    const version = Number(m[1]);
    if (version > FORMAT_VERSION) {
      throw new BackupFileError(`This backup has format ${version}, written by a newer Tongxin; this version reads format ${FORMAT_VERSION}.`);
    }
    const text = await this.line('the manifest', 64 * 1024 * 1024);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new BackupFileError('The backup manifest is damaged (not JSON).', { cause: e });
    }
    const parsed = ManifestSchema.safeParse(json);
    if (!parsed.success) throw new BackupFileError(`The backup manifest is damaged: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}.`);
    return parsed.data;
  }

  async expectTable(name: string): Promise<void> {
    const l = await this.line(`the data of table ${name}`, 1024);
    if (l !== `TABLE ${JSON.stringify(name)}`) throw new BackupFileError(`The backup file is damaged: expected the data of table ${name}.`);
  }

  /**
   * Yields the COPY data of the current table (whole lines only) up to its end marker and
   * counts its rows into `rows`.
   */
  async *tableData(table: string): AsyncGenerator<Buffer> {
    this.rows = 0;
    let lineStart = this.pos;
    for (;;) {
      // three bytes are enough to tell the end marker from a row
      while (this.buf.length - lineStart >= 3) {
        if (this.buf[lineStart] === BACKSLASH && this.buf[lineStart + 1] === DOT && this.buf[lineStart + 2] === NL) {
          if (lineStart > this.pos) yield this.buf.subarray(this.pos, lineStart);
          this.pos = lineStart + 3;
          return;
        }
        const nl = this.buf.indexOf(NL, lineStart);
        if (nl < 0) break;
        this.rows++;
        lineStart = nl + 1;
      }
      if (lineStart > this.pos) {
        yield this.buf.subarray(this.pos, lineStart);
        this.pos = lineStart;
      }
      if (!(await this.more())) throw new BackupFileError(`The backup file is incomplete: it ends inside the data of table ${table}.`);
      lineStart = this.pos;
    }
  }

  /** The end line, and nothing after it. */
  async expectEnd(): Promise<void> {
    const l = await this.line('its end marker', 16);
    if (l !== 'END') throw new BackupFileError('The backup file is damaged: unexpected content where it should end.');
    if (this.pos < this.buf.length || (await this.more())) throw new BackupFileError('The backup file is damaged: data after its end marker.');
  }
}

/** zlib's messages ("incorrect header check", "unexpected end of file") say little to an operator. */
export function asFileError(e: unknown): Error {
  if (e instanceof BackupFileError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    const detail = e instanceof Error ? e.message : String(e);
    if (code === 'Z_BUF_ERROR') return new BackupFileError(`The backup file is incomplete (truncated): ${detail}.`, { cause: e });
    return new BackupFileError(`The backup file is damaged or not a Tongxin backup (gzip: ${detail}).`, { cause: e });
  }
  return e instanceof Error ? e : new Error(String(e));
}
