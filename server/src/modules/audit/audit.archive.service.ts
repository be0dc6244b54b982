import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Db } from '../../platform/db/db';
import { derivedKey } from '../../platform/crypto';
import * as repo from './audit.repo';

/**
 * Audit retention (ADR 0009): entries older than the retention are written to a gzip file of
 * JSON lines with a detached Ed25519 signature, then removed in the same transaction that
 * records an anchor (the last archived hash, the file's SHA-256 and count), so the chain in
 * the database still verifies from the anchor and the file verifies on its own.
 */

export const ARCHIVE_FORMAT = 'tongxin-audit-archive';
const SIGNING_PURPOSE = 'tongxin audit archive signing v1';
/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The signing key, derived from the data key: nothing extra to keep, and the public half can be handed out. */
function signingKey(): KeyObject {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, derivedKey(SIGNING_PURPOSE)]), format: 'der', type: 'pkcs8' });
}

/** The public key (base64 SPKI DER) that verifies this installation's archives. */
export function archivePublicKey(): string {
  return createPublicKey(signingKey()).export({ format: 'der', type: 'spki' }).toString('base64');
}

/** What the signature covers: the file's digest, with a label so it cannot be replayed for another purpose. */
const signedMessage = (fileSha256: string) => Buffer.from(`${ARCHIVE_FORMAT}/v1\n${fileSha256}`, 'utf8');

export type ArchiveSignature = { algorithm: 'Ed25519'; publicKey: string; fileSha256: string; signature: string };

export type ArchiveResult = { file: string; signatureFile: string; entries: number; chains: number; fileSha256: string; publicKey: string } | null;

export function archiveCutoff(retentionDays: number, now = new Date()): Date {
  return new Date(now.getTime() - retentionDays * 86_400_000);
}

/**
 * Archives every chain's entries older than `before` (which must respect the retention) to
 * `<outDir>/audit-archive-<time>.jsonl.gz` + `.sig`. Returns null when nothing is old enough.
 * Runs as the database owner, beside the running app (no lock: see archivableChains).
 */
export async function archiveAudit(db: Db, opts: { before: Date; retentionDays: number; outDir: string; now?: Date }): Promise<ArchiveResult> {
  const limit = archiveCutoff(opts.retentionDays, opts.now);
  if (opts.before.getTime() > limit.getTime()) {
    throw new ArchiveError(`Entries are kept ${opts.retentionDays} days: --before must be ${limit.toISOString().slice(0, 10)} or earlier.`);
  }
  fs.mkdirSync(opts.outDir, { recursive: true });
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const name = `audit-archive-${stamp}.jsonl.gz`;
  const file = path.join(opts.outDir, name);
  const partial = `${file}.partial`;
  return db.transaction(async (tx) => {
    const chains = await repo.archivableChains(tx, opts.before);
    if (chains.length === 0) return null;
    const header = { format: ARCHIVE_FORMAT, version: 1, createdAt: (opts.now ?? new Date()).toISOString(), before: opts.before.toISOString(), hash: 'sha256', chains };
    async function* lines() {
      yield `${JSON.stringify(header)}\n`;
      for (const chain of chains) {
        for await (const batch of repo.iterateChain(tx, chain)) yield batch.map((e) => `${JSON.stringify(e)}\n`).join('');
      }
    }
    try {
      await pipeline(Readable.from(lines()), zlib.createGzip(), fs.createWriteStream(partial, { mode: 0o600, flags: 'wx' }));
      const fileSha256 = await sha256File(partial);
      const sig: ArchiveSignature = {
        algorithm: 'Ed25519',
        publicKey: archivePublicKey(),
        fileSha256,
        signature: sign(null, signedMessage(fileSha256), signingKey()).toString('base64'),
      };
      // the file is complete and signed before anything is removed from the database
      fs.writeFileSync(`${file}.sig`, `${JSON.stringify(sig, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      fs.renameSync(partial, file);
      for (const chain of chains) {
        await repo.removeArchived(tx, chain, { name, sha256: fileSha256 }, opts.before);
        await repo.insertAudit(tx, {
          tenantId: chain.tenantId,
          actorUserId: null,
          actorName: 'cli',
          action: 'audit.archive',
          targetType: 'audit_log',
          result: 'ok',
          details: { entries: chain.count, firstId: chain.firstId, lastId: chain.lastId, file: name, fileSha256, before: opts.before.toISOString() },
        });
      }
      return { file, signatureFile: `${file}.sig`, entries: chains.reduce((n, c) => n + c.count, 0), chains: chains.length, fileSha256, publicKey: sig.publicKey };
    } catch (e) {
      fs.rmSync(partial, { force: true });
      throw e;
    }
  });
}

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export type ArchiveCheck = { ok: boolean; entries: number; chains: number; problems: string[] };

/**
 * Checks an archive without a database: the detached signature under the expected public
 * key, the file's digest, and every entry's hash and link within its chain.
 */
export async function verifyArchiveFile(file: string, expectedPublicKey: string): Promise<ArchiveCheck> {
  const problems: string[] = [];
  const sig = JSON.parse(fs.readFileSync(`${file}.sig`, 'utf8')) as ArchiveSignature;
  if (sig.publicKey !== expectedPublicKey) problems.push('signature made with another key than expected');
  const fileSha256 = await sha256File(file);
  if (fileSha256 !== sig.fileSha256) problems.push(`file digest ${fileSha256} differs from the signed ${sig.fileSha256}`);
  const pub = createPublicKey({ key: Buffer.from(expectedPublicKey, 'base64'), format: 'der', type: 'spki' });
  if (!verify(null, signedMessage(fileSha256), pub, Buffer.from(sig.signature, 'base64'))) problems.push('signature invalid');

  type Header = { format?: string; chains?: repo.ArchiveChain[] };
  let header: Header | undefined;
  let entries = 0;
  const last = new Map<string, { hash: string | null; count: number }>();
  const rl = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!header) {
      header = JSON.parse(line) as Header;
      if (header?.format !== ARCHIVE_FORMAT) problems.push('not a Tongxin audit archive');
      for (const c of header?.chains ?? []) last.set(c.tenantId ?? '', { hash: c.prevHash, count: 0 });
      continue;
    }
    const e = JSON.parse(line) as repo.ArchivedEntry;
    entries++;
    const chain = last.get(e.tenantId ?? '');
    if (!chain) {
      problems.push(`entry ${e.id}: chain not listed in the header`);
      continue;
    }
    if (e.prevHash !== chain.hash) problems.push(`entry ${e.id}: prev_link_broken`);
    const h = createHash('sha256').update(`${e.prevHash ?? ''}|${e.text}`, 'utf8').digest('hex');
    if (h !== e.hash) problems.push(`entry ${e.id}: hash_mismatch`);
    chain.hash = e.hash;
    chain.count++;
  }
  for (const c of header?.chains ?? []) {
    const seen = last.get(c.tenantId ?? '');
    if (seen?.count !== c.count || seen.hash !== c.lastHash) problems.push(`chain ${c.tenantId ?? '-'}: ${seen?.count ?? 0} entries ending at another hash than the header's ${c.count}`);
  }
  return { ok: problems.length === 0, entries, chains: header?.chains?.length ?? 0, problems };
}
