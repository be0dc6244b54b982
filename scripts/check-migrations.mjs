// Fails when the Drizzle schema has changes that no committed migration contains:
// generates into a copy of server/migrations and requires drizzle-kit to find nothing to do.
// (drizzle-kit prefixes `out` with './' and exits 0 even on errors, hence a relative
// scratch folder and the check of its output.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const scratch = 'node_modules/.cache/tongxin-migrations-check';
fs.rmSync(path.join(root, scratch), { recursive: true, force: true });
fs.cpSync(path.join(root, 'server/migrations'), path.join(root, scratch), { recursive: true });
const r = spawnSync(path.join(root, 'node_modules/.bin/drizzle-kit'), ['generate', '--config', 'server/drizzle.config.ts', '--name', 'ci_check'], {
  cwd: root,
  env: { ...process.env, DRIZZLE_OUT: scratch },
  encoding: 'utf8',
});
const out = `${r.stdout}\n${r.stderr}`;
fs.rmSync(path.join(root, scratch), { recursive: true, force: true });
if (r.status === 0 && /No schema changes/.test(out)) {
  console.log('migrations: schema and committed migrations agree');
} else {
  console.error(out.trim());
  console.error('The schema has changes without a committed migration: run `npm run db:generate` and commit server/migrations.');
  process.exit(1);
}
