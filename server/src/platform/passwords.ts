import { hash, verify } from '@node-rs/argon2';

const options = { // 2 = Argon2id (the package's const enum cannot be imported under isolatedModules)
  algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** Verified against when the username is unknown, so both paths cost the same time. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('tongxin-dummy-password-for-timing');
  return dummy;
}
