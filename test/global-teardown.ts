// vitest globalSetup: the suite must leave no process behind. setup() marks this run in the environment
// (DIEMCAU_TEST_RUN, a comma list so that a vitest run inside a test keeps the outer run's mark too);
// vitest's forks inherit it and so does everything they start with the usual environment: hubs, mediasoup
// workers (mediasoup spreads process.env into the worker's), ffmpeg, coturn, the netem helpers (also through
// `ip netns exec`), Chromium's browser process and its crashpad handlers. Chromium's zygotes, renderers and
// utility processes inherit it too but overwrite /proc/<pid>/environ with their process title, so a process
// counts as this run's when it carries the mark, descends from a process that does, or belongs to the process
// group of one (Playwright starts the browser as a group leader). teardown() gives them a short grace period,
// then kills them and fails the run naming each one. Runs of other engineers carry other marks.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export const MARK = 'DIEMCAU_TEST_RUN';
const GRACE_MS = 3000;

export interface Straggler {
  pid: number;
  kind: string;
  command: string;
}

const KINDS: Array<[RegExp, string]> = [
  [/mediasoup-worker/, 'mediasoup worker'],
  [/server\/main\.ts/, 'hub'],
  [/ffmpeg/, 'ffmpeg'],
  [/chrom/i, 'chromium'],
  [/firefox/, 'firefox'],
  [/turnserver/, 'turnserver'],
  [/tun-link|udp-tool/, 'netem helper'],
  [/redis-server/, 'redis-server'],
  [/nginx/, 'nginx'],
];

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  marks: string[];
  command: string;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

/** Neither gone nor a zombie (an orphan killed here may wait a while for its reaper). */
function alive(pid: number): boolean {
  const stat = read(`/proc/${pid}/stat`);
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Every live process (no zombies, no kernel threads) with its parent, process group and run marks. */
function processes(): Proc[] {
  const list: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = read(`/proc/${pid}/stat`);
    const command = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ').trim();
    if (stat === undefined || command === '') continue;
    // After the command name in parentheses (which may hold spaces): state, ppid, pgrp, …
    const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z') continue;
    const mark = read(`/proc/${pid}/environ`)
      ?.split('\0')
      .find((entry) => entry.startsWith(`${MARK}=`));
    list.push({ pid, ppid: Number(ppid), pgid: Number(pgid), marks: mark?.slice(MARK.length + 1).split(',') ?? [], command });
  }
  return list;
}

/**
 * This run's live processes: those that carry its mark, their descendants and the members of their process
 * groups; never `except` (vitest's own process) nor its direct children (the pool of forks, which vitest
 * ends by itself) nor this process.
 */
export function runProcesses(runId: string, except: number = process.pid): Straggler[] {
  const all = processes();
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const skip = (p: Proc) => p.pid === except || p.pid === process.pid || p.ppid === except;
  const marked = new Set(all.filter((p) => p.marks.includes(runId) && !skip(p)).map((p) => p.pid));
  const ours = (p: Proc): boolean => {
    if (marked.has(p.pid) || marked.has(p.pgid)) return true;
    for (let up = byPid.get(p.ppid), depth = 0; up && depth < 64; up = byPid.get(up.ppid), depth++) {
      if (marked.has(up.pid)) return true;
    }
    return false;
  };
  return all
    .filter((p) => !skip(p) && ours(p))
    .map((p) => ({ pid: p.pid, command: p.command, kind: KINDS.find(([re]) => re.test(p.command))?.[1] ?? 'process' }));
}

/** Waits up to `graceMs` for this run's processes to exit by themselves; kills (SIGKILL) the rest and returns them. */
export async function reapStragglers(runId: string, graceMs = GRACE_MS, except: number = process.pid): Promise<Straggler[]> {
  const deadline = Date.now() + graceMs;
  let left = runProcesses(runId, except);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = runProcesses(runId, except);
  }
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // exited between the look and the kill
    }
  }
  const killDeadline = Date.now() + 2000;
  while (left.some((p) => alive(p.pid)) && Date.now() < killDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return left;
}

let runId: string | undefined;

export function setup(): void {
  runId = randomUUID();
  const outer = process.env[MARK];
  process.env[MARK] = outer ? `${outer},${runId}` : runId;
}

export async function teardown(): Promise<void> {
  if (!runId) return;
  const left = await reapStragglers(runId);
  if (left.length === 0) return;
  const list = left.map((p) => `  pid ${p.pid} (${p.kind}): ${p.command}`).join('\n');
  // vitest only logs a teardown that throws ("error during close") and still exits 0: set the code here.
  process.exitCode = 1;
  throw new Error(`${left.length} process(es) started by this test run outlived it (killed now):\n${list}`);
}
