import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from './errors';

/**
 * The content-addressed file store under DATA_DIR/files, shared by every area that takes
 * uploads (activity attachments, feedback answers, rectification evidence).
 */

const OOXML = 'application/vnd.openxmlformats-officedocument';

/**
 * The type of a file by its first bytes (and, for Office files, the names inside the zip),
 * never by its name: an executable renamed to .jpg is still refused.
 */
export function sniffType(head: Buffer, zipNames: string): string | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => head[at + i] === b);
  const ascii = (s: string, at = 0) => head.subarray(at, at + s.length).toString('latin1') === s;
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii('GIF87a') || ascii('GIF89a')) return 'image/gif';
  if (ascii('RIFF') && ascii('WEBP', 8)) return 'image/webp';
  if (ascii('%PDF-')) return 'application/pdf';
  if (starts([0x50, 0x4b, 0x03, 0x04]) && zipNames.includes('[Content_Types].xml')) {
    if (zipNames.includes('word/document.xml')) return `${OOXML}.wordprocessingml.document`;
    if (zipNames.includes('xl/workbook.xml')) return `${OOXML}.spreadsheetml.sheet`;
    if (zipNames.includes('ppt/presentation.xml')) return `${OOXML}.presentationml.presentation`;
  }
  return null;
}

/** A zip names its entries in its central directory at the end: read the tail for them. */
async function zipTail(file: string, size: number): Promise<string> {
  const len = Math.min(size, 256 * 1024);
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    return buf.toString('latin1');
  } finally {
    await fh.close();
  }
}

export function blobPath(dataDir: string, sha256: string): string {
  return path.join(dataDir, 'files', sha256.slice(0, 2), sha256);
}

export type StoredFile = { sha256: string; size: number; contentType: string };

/**
 * Streams an upload to a temporary file while hashing it, checks size and type, then moves
 * it to its content address (a file already there is the same bytes: the copy is dropped).
 * The multipart limit cuts the stream at the maximum size; `truncated` says it was cut.
 */
export async function storeUpload(dataDir: string, file: Readable & { truncated?: boolean }): Promise<StoredFile> {
  const tmpDir = path.join(dataDir, 'files', 'tmp');
  await fs.promises.mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(file, tap, fs.createWriteStream(tmp, { flags: 'wx' }));
    if (file.truncated) throw new AppError('PAYLOAD_TOO_LARGE');
    if (size === 0) throw new AppError('VALIDATION_FAILED', [{ path: 'file', problem: 'empty' }]);
    const contentType = sniffType(head, head[0] === 0x50 ? await zipTail(tmp, size) : '');
    if (!contentType) throw new AppError('UNSUPPORTED_FILE');
    const sha256 = hash.digest('hex');
    const final = blobPath(dataDir, sha256);
    await fs.promises.mkdir(path.dirname(final), { recursive: true });
    if (fs.existsSync(final)) await fs.promises.unlink(tmp);
    else await fs.promises.rename(tmp, final);
    return { sha256, size, contentType };
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}
