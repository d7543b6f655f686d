// The leak check of test/global-teardown.ts: it finds a process that carries a run's mark and only such
// a process, lets one that exits within the grace period go, kills one that does not; and a whole vitest
// run whose test leaks a process exits non-zero naming it, while the same run without the leak passes.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MARK, reapStragglers, runProcesses } from './global-teardown.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `command` with `runId` added to the mark this run already gave the environment. */
function marked(runId: string | undefined, command: string, args: string[], detached = false): ChildProcess {
  const env = { ...process.env };
  if (runId) env[MARK] = env[MARK] ? `${env[MARK]},${runId}` : runId;
  const child = spawn(command, args, { env, stdio: 'ignore', detached });
  children.push(child);
  return child;
}

const sleeper = (seconds: number, runId?: string) => marked(runId, 'sleep', [String(seconds)]);

/** The pids of the `sleep <seconds>` processes running now (children of children are not ours to track). */
function sleeps(seconds: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `sleep\0${seconds}\0`;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Running: neither gone nor a zombie (an orphan killed here may wait for a reaper that never comes). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode ?? child.exitCode);
    else child.once('exit', (code, signal) => resolve(signal ?? code));
  });

describe('the leak check', () => {
  it("finds a process with the run's mark, not one with another mark or none", async () => {
    const id = randomUUID();
    const marked = sleeper(30, id);
    sleeper(30, randomUUID());
    sleeper(30);
    await new Promise((resolve) => setTimeout(resolve, 100)); // exec'd: /proc shows sleep, not node
    // `except`: vitest's own process, whose direct children (the forks, this one) are never listed.
    const found = runProcesses(id, process.ppid);
    expect(found).toEqual([{ pid: marked.pid, kind: 'process', command: 'sleep 30' }]);
  });

  it('finds what a marked process started without the mark: its descendants and its process group', async () => {
    const id = randomUUID();
    // A marked shell whose child runs without the mark (as Chromium's zygote and renderers look in /proc).
    const shell = marked(id, 'sh', ['-c', `env -u ${MARK} sleep 41 & wait`]);
    // A marked group leader whose unmarked member is an orphan, no longer its descendant.
    const leader = marked(id, 'sh', ['-c', `(env -u ${MARK} sleep 42 &); exec sleep 43`], true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [child] = sleeps(41);
    const [orphan] = sleeps(42);
    expect(child).toBeDefined();
    expect(orphan).toBeDefined();
    const found = runProcesses(id, process.ppid).map((p) => p.pid);
    expect(found.sort()).toEqual([shell.pid, child, leader.pid, orphan].sort());
    const left = await reapStragglers(id, 0, process.ppid);
    expect(left).toHaveLength(4);
    for (const pid of [child, orphan] as number[]) expect(running(pid), `${pid} killed`).toBe(false);
  });

  it('lets a process that exits within the grace period go, kills one that does not', async () => {
    const id = randomUUID();
    const quick = sleeper(0.3, id);
    const stuck = sleeper(30, id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const left = await reapStragglers(id, 1500, process.ppid);
    expect(left.map((p) => p.pid)).toEqual([stuck.pid]);
    expect(await exited(quick)).toBe(0);
    expect(await exited(stuck)).toBe('SIGKILL');
    expect(runProcesses(id, process.ppid)).toEqual([]);
  });

  /** Runs vitest on one test file `body` (a temporary folder) with this repository's global setup. */
  async function run(body: string): Promise<{ code: number | null; output: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'leak-check-'));
    dirs.push(dir);
    const setup = join(ROOT, 'test/global-teardown.ts');
    writeFileSync(
      join(dir, 'vitest.config.mjs'),
      `export default { test: { include: ['*.test.mjs'], globals: true, pool: 'forks', globalSetup: [${JSON.stringify(setup)}] } };\n`,
    );
    writeFileSync(join(dir, 'case.test.mjs'), `import { spawn } from 'node:child_process';\n${body}\n`);
    const vitest = join(ROOT, 'node_modules/vitest/vitest.mjs');
    const child = spawn(process.execPath, [vitest, 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs')], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await exited(child);
    return { code: typeof code === 'number' ? code : null, output };
  }

  it('a vitest run that leaves a process behind fails, naming it; without the leak it passes', async () => {
    const leak = await run(`test('leaks', () => {
      const c = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
      c.unref();
      console.log('LEAKED', c.pid);
    });`);
    const pid = /LEAKED (\d+)/.exec(leak.output)?.[1];
    expect(pid, leak.output).toBeDefined();
    expect(leak.code, leak.output).toBe(1);
    expect(leak.output).toContain('1 process(es) started by this test run outlived it');
    expect(leak.output).toContain(`pid ${pid} (process): sleep 60`);
    expect(running(Number(pid)), 'the straggler was killed').toBe(false);

    const clean = await run(`test('cleans up', async () => {
      const c = spawn('sleep', ['60'], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 100));
      c.kill();
    });`);
    expect(clean.code, clean.output).toBe(0);
    expect(clean.output).not.toContain('outlived');
  });
});
