/**
 * Who used the CPU during a case: the whole machine, this process (app + load generator +
 * floor loop), and the embedded PostgreSQL's processes; the rest is other work on the machine,
 * which makes the figures unreliable when it is more than a few per cent. Linux only (/proc);
 * elsewhere the PostgreSQL share is unknown and counted as "other".
 */
import fs from 'node:fs';
import os from 'node:os';

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat, 100 on every Linux we know of */
const TICK_MS = 10;

export type CpuSample = { wallMs: number; machineBusyMs: number; selfMs: number; pgMs: number | null };
export type CpuShare = { cores: number; wallMs: number; machine: number; self: number; postgres: number | null; other: number };

function machineBusyMs(): number {
  return os.cpus().reduce((s, c) => s + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
}

/** utime + stime of a process, plus cutime + cstime (its children that have exited) when asked. */
function procCpuMs(pid: number, withExitedChildren = false): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name, which is in parentheses and may contain spaces
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]);
    return (withExitedChildren ? own + Number(f[13]) + Number(f[14]) : own) * TICK_MS;
  } catch {
    return 0;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * CPU time of the postmaster and its children (backends, checkpointer, …), or null when unknown.
 * Backends come and go (pools close idle connections): the time of those that have exited is in
 * the postmaster's cutime/cstime, so the sum only grows.
 */
function postgresMs(postmasterPid: number | null): number | null {
  if (postmasterPid === null || !fs.existsSync('/proc')) return null;
  let sum = procCpuMs(postmasterPid, true);
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid !== postmasterPid && parentOf(pid) === postmasterPid) sum += procCpuMs(pid);
  }
  return sum;
}

/** The postmaster's pid from its data directory, when PostgreSQL runs on this machine from it. */
export function postmasterPidOf(pgDataDir: string | undefined): number | null {
  if (!pgDataDir) return null;
  try {
    const pid = Number(fs.readFileSync(`${pgDataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function sampleCpu(postmasterPid: number | null): CpuSample {
  const u = process.cpuUsage();
  return { wallMs: performance.now(), machineBusyMs: machineBusyMs(), selfMs: (u.user + u.system) / 1000, pgMs: postgresMs(postmasterPid) };
}

/** Shares of the machine's capacity (cores × wall time), 0 … 1. */
export function shareBetween(a: CpuSample, b: CpuSample): CpuShare {
  const cores = os.cpus().length;
  const wallMs = b.wallMs - a.wallMs;
  const cap = Math.max(1, wallMs * cores);
  const machine = (b.machineBusyMs - a.machineBusyMs) / cap;
  const self = (b.selfMs - a.selfMs) / cap;
  const postgres = a.pgMs === null || b.pgMs === null ? null : (b.pgMs - a.pgMs) / cap;
  const other = Math.max(0, machine - self - (postgres ?? 0));
  return { cores, wallMs, machine, self, postgres, other };
}

/** How busy the machine is over `ms` (0 … 1), while this process waits. */
export async function machineLoad(ms = 1000): Promise<number> {
  const a = sampleCpu(null);
  await new Promise((r) => setTimeout(r, ms));
  return shareBetween(a, sampleCpu(null)).machine;
}
