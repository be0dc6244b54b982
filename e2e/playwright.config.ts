import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// overridable so two runs (a developer's and CI's rehearsal) can share a machine
const port = Number(process.env.E2E_PORT ?? 8190);
const baseURL = `http://127.0.0.1:${port}`;
const repoRoot = path.resolve(import.meta.dirname, '..');

const tmpPrefix = 'tongxin-e2e-';

/** Data directories of earlier runs (~40 MB each) whose server is gone. */
function removeStaleDataDirs(): void {
  const cutoff = Date.now() - 30 * 60_000;
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(tmpPrefix)) continue;
    const dir = path.join(os.tmpdir(), name);
    try {
      if (fs.statSync(dir).mtimeMs > cutoff) continue; // may belong to a run starting right now
      const pid = Number(fs.readFileSync(path.join(dir, 'tongxin.lock'), 'utf8'));
      if (pid && isAlive(pid)) continue;
    } catch {
      // no lock file: the server never started there
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// A fresh data directory per run: the embedded PostgreSQL initialises it and the demo
// department is seeded, so every run starts from the same state. The config is evaluated
// again in each worker; the environment carries the runner's choice to them.
let dataDir = process.env.TONGXIN_E2E_DATA_DIR;
if (!dataDir) {
  removeStaleDataDirs();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  // mkdtemp makes it 0700; run as root, the app starts PostgreSQL as the `postgres` user,
  // which must be able to traverse into it
  fs.chmodSync(dataDir, 0o755);
  process.env.TONGXIN_E2E_DATA_DIR = dataDir;
}

if (!fs.existsSync(path.join(repoRoot, 'web/dist/index.html'))) {
  throw new Error('web/dist is missing: run `npm run build` before the browser tests');
}

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  outputDir: path.join(repoRoot, 'test-results/e2e-artifacts'),
  reporter: [['list'], ['json', { outputFile: path.join(repoRoot, 'test-results/e2e.json') }]],
  use: {
    baseURL,
    locale: 'zh-CN',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      // Debian's Chromium: `npx playwright install` cannot download browsers here
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'node --import tsx server/src/main.ts',
    cwd: repoRoot,
    url: `${baseURL}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_PG_PORT: String(Number(process.env.E2E_PORT ?? 8190) + 46200),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
  },
});
