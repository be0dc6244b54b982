// `npm test`: lint, typecheck, migration check, unit + integration (vitest), web build and
// browser e2e (Playwright + Debian Chromium). Every stage runs even when one fails; the last
// line is `N passed, N failed` over all of them (each test counts, each check stage counts one).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (n) => path.join(root, 'node_modules/.bin', n);
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
const only = process.argv.slice(2);
const want = (stage) => only.length === 0 || only.includes(stage);

let passed = 0;
let failed = 0;
const failures = [];

function run(label, cmd, args, env = {}) {
  console.log(`\n── ${label} ──`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`── ${label}: ${r.status === 0 ? 'ok' : `failed (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

function check(label, ok) {
  if (ok) passed += 1;
  else {
    failed += 1;
    failures.push(label);
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Chromium and CJK fonts: installed through apt when we are root, otherwise one line saying what to install. */
function ensureBrowser() {
  const missing = [];
  if (!fs.existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!fs.existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) missing.push('fonts-noto-cjk');
  if (missing.length === 0) return true;
  if (process.getuid?.() === 0) {
    console.log(`installing ${missing.join(' ')} with apt`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get update', 'apt-get', ['update', '-qq'], env) && run(`apt-get install ${missing.join(' ')}`, 'apt-get', ['install', '-y', '-qq', ...missing], env)) {
      return true;
    }
    return false;
  }
  console.error(`e2e needs Debian packages: run \`sudo apt-get install -y ${missing.join(' ')}\` and try again.`);
  return false;
}

if (want('lint')) check('lint', run('lint', bin('eslint'), ['.', '--max-warnings=0']));
if (want('typecheck')) check('typecheck', run('typecheck', 'npm', ['run', '--silent', 'typecheck']));
if (want('migrations')) check('migrations', run('migrations are generated', process.execPath, ['scripts/check-migrations.mjs']));

if (want('unit')) {
  const out = path.join(results, 'vitest.json');
  fs.rmSync(out, { force: true });
  const ok = run('unit + integration (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  const r = readJson(out);
  if (r) {
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    if (r.numFailedTests > 0) failures.push(`${r.numFailedTests} vitest test(s)`);
    // a suite that failed to load has no tests to count: count it as a failure
    if (!ok && r.numFailedTests === 0) check('vitest', false);
  } else check('vitest (no report)', false);
}

if (want('e2e')) {
  if (!ensureBrowser()) check('e2e prerequisites', false);
  else if (!run('web build', 'npm', ['run', '--silent', 'build'])) check('web build', false);
  else {
    const out = path.join(results, 'e2e.json');
    fs.rmSync(out, { force: true });
    const ok = run('browser e2e (Playwright + Chromium)', bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
    const r = readJson(out);
    if (r?.stats) {
      passed += r.stats.expected + (r.stats.flaky ?? 0);
      failed += r.stats.unexpected;
      if (r.stats.unexpected > 0) failures.push(`${r.stats.unexpected} e2e test(s)`);
      if (!ok && r.stats.unexpected === 0) check('e2e', false);
    } else check('e2e (no report)', false);
  }
}

if (failures.length) console.log(`\nFailed: ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
