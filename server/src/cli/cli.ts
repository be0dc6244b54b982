import { loadConfig } from '../platform/config';
import { startRuntime } from '../platform/runtime';
import { seedDemo } from '../modules/demo/demo.seed';

type Command = { describe: string; run: (args: string[]) => Promise<void> };

const quietLog = () => undefined;

const commands: Record<string, Command> = {
  migrate: {
    describe: 'apply committed migrations',
    run: async () => {
      const rt = await startRuntime(loadConfig(), quietLog);
      await rt.stop();
      console.log('migrations applied');
    },
  },
  'seed-demo': {
    describe: 'create the demo department (once)',
    run: async () => {
      const rt = await startRuntime(loadConfig(), quietLog);
      try {
        const accounts = await seedDemo(rt.db);
        console.log(accounts ? `demo department created: ${accounts.map((a) => a.username).join(', ')}` : 'demo department already exists');
      } finally {
        await rt.stop();
      }
    },
  },
};

export function registerCommand(name: string, c: Command) {
  commands[name] = c;
}

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const cmd = name ? commands[name] : undefined;
  if (!cmd) {
    console.log('usage: tongxin <command> [options]\n');
    for (const [n, c] of Object.entries(commands)) console.log(`  ${n.padEnd(14)} ${c.describe}`);
    process.exit(name ? 2 : 0);
  }
  await cmd.run(args);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
