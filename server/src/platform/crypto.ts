import { createCipheriv, createDecipheriv, createHash, createHmac, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Field encryption at rest: AES-256-GCM, a fresh 96-bit IV per value, the auth tag kept
 * with it. Format `v1:` + base64(iv | tag | ciphertext); the version lets a later key or
 * cipher (SM4-GCM) coexist with old values.
 */
// a KeyObject, not the raw bytes: with raw bytes every cipher and HMAC imports the key
// again, which made sealing 4–5 times slower (a 50,000-row import seals 100,000 values)
let dataKey: KeyObject | undefined;

export function setDataKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('the data key must be 32 bytes (base64 of 32 random bytes)');
  dataKey = createSecretKey(key);
}

function key(): KeyObject {
  if (!dataKey) throw new Error('data key not loaded');
  return dataKey;
}

export function encrypt(plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key(), iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
}

export function decrypt(sealed: string): string {
  if (!sealed.startsWith('v1:')) throw new Error('unknown ciphertext format');
  const raw = Buffer.from(sealed.slice(3), 'base64');
  const d = createDecipheriv('aes-256-gcm', key(), raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}

/** A keyed hash for equality lookups (unique ID numbers) over encrypted values. */
export function blindIndex(value: string): string {
  return createHmac('sha256', key()).update(`blind:${value}`).digest('hex');
}

/**
 * A 32-byte key for one purpose, derived from the data key (HKDF-SHA256): the data key
 * itself never signs or encrypts anything but personal fields.
 */
export function derivedKey(purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key(), Buffer.alloc(0), purpose, 32));
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * The key from DATA_KEY, else from `<dataDir>/data.key`, created on first start (0600).
 * Losing it makes encrypted fields unreadable: back it up apart from the database.
 */
export function loadDataKey(fromEnv: string | undefined, dataDir: string): Buffer {
  if (fromEnv) return Buffer.from(fromEnv, 'base64');
  const file = path.join(dataDir, 'data.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
}
