import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const port = 8190;
const baseURL = `http://127.0.0.1:${port}`;
const repoRoot = path.resolve(import.meta.dirname, '..');

// A fresh data directory per run: the embedded PostgreSQL initialises it and the demo
// department is seeded, so every run starts from the same state.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-e2e-'));
// mkdtemp makes it 0700; run as root, the app starts PostgreSQL as the `postgres` user,
// which must be able to traverse into it
fs.chmodSync(dataDir, 0o755);

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
      EMBEDDED_PG_PORT: '54390',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
  },
});
