#!/usr/bin/env node
// `npx tongxin <command>`: runs the CLI under the project's pinned Node with tsx.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node = path.join(root, 'node_modules', '.bin', 'node');
const r = spawnSync(node, ['--import', 'tsx', path.join(root, 'server/src/cli/cli.ts'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
