import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './platform/config';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-main-'));
fs.chmodSync(dataDir, 0o755);
const pgPort = 56000 + Math.floor(Math.random() * 2000);
const children: ChildProcess[] = [];

function start(port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (re: RegExp, ms: number) => {
    const until = Date.now() + ms;
    while (!re.test(output)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${re}; output:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the app process', () => {
  it('starts on embedded PostgreSQL, refuses a second instance on the same data, stops cleanly on SIGTERM', async () => {
    const first = start(18000 + Math.floor(Math.random() * 1000));
    await first.waitFor(/Tongxin is running/, 90_000);
    expect(first.output()).toMatch(/admin\s+sys_admin/);

    const second = start(19000 + Math.floor(Math.random() * 1000));
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/Another Tongxin process \(pid \d+\) is using the data directory/);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'tongxin.lock'))).toBe(false);

    // a restart on the same data keeps it and seeds nothing twice
    const third = start(18000 + Math.floor(Math.random() * 1000));
    await third.waitFor(/Tongxin is running/, 60_000);
    expect(third.output()).not.toMatch(/Demo department created/);
    third.child.kill('SIGINT');
    expect(await third.exited).toBe(0);
  }, 180_000);
});
