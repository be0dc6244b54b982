import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../platform/db/db';
import { startEmbedded } from '../platform/db/embedded';
import { runMigrations } from '../platform/db/migrate';

export const TEMPLATE_DB = 'tongxin_template';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}

/**
 * One PostgreSQL for the whole run (TEST_DATABASE_URL, or an embedded one in a temp dir),
 * with a template database migrated once; each test file clones it (CREATE DATABASE … TEMPLATE).
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop = async () => {};
  let dir: string | undefined;
  if (!adminUrl) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-test-'));
    fs.chmodSync(dir, 0o755);
    const port = 55000 + Math.floor(Math.random() * 5000);
    const embedded = await startEmbedded({ dataDir: dir, port, database: 'postgres', log: () => undefined });
    adminUrl = embedded.url;
    stop = embedded.stop;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB}`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const db = createDb(withDatabase(adminUrl, TEMPLATE_DB), 2);
  await runMigrations(db);
  await db.$client.end();
  project.provide('adminUrl', adminUrl);
  return async () => {
    await stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
