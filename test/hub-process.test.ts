// The hub as an operator runs it: starts on its defaults, answers /healthz with live workers, stops on
// SIGTERM/SIGINT leaving no worker process behind, and refuses to start on bad config or a bad worker.
import { afterEach, describe, expect, it } from 'vitest';
import { HealthReport } from '../shared/health.ts';
import { hubPort, processAlive, spawnHub, type HubProcess } from '../scripts/lib/hub-process.ts';
import { waitFor } from './helpers/wait.ts';

const running: HubProcess[] = [];

function start(env: Record<string, string> = {}): HubProcess {
  const hub = spawnHub(env);
  running.push(hub);
  return hub;
}

afterEach(() => {
  for (const hub of running.splice(0)) if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
});

async function health(port: number): Promise<{ status: number; body: HealthReport }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: HealthReport.parse(await res.json()) };
}

describe('hub process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('serves /healthz with live workers and stops on %s with none left', async (signal) => {
    const hub = start({ DIEMCAU_WORKERS: '2' });
    const port = await hubPort(hub);

    const { status, body } = await health(port);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.workers).toHaveLength(2);
    expect(body.node).toBe(process.version);
    const pids = body.workers.map((w) => w.pid);
    for (const worker of body.workers) {
      expect(worker.alive).toBe(true);
      expect(worker.version).toBe(body.mediasoupVersion);
      expect(processAlive(worker.pid)).toBe(true);
    }
    const started = hub.logs.find((l) => l.msg === 'media workers started');
    expect(started).toMatchObject({ mediasoupVersion: body.mediasoupVersion, pids });
    expect(typeof started?.resolvedBin).toBe('string');

    hub.child.kill(signal);
    expect(await hub.exited).toEqual({ code: 0, signal: null });
    for (const pid of pids) expect(processAlive(pid)).toBe(false);
  });

  it('replaces a worker that dies, and counts the replacement in /healthz', async () => {
    const hub = start({ DIEMCAU_WORKERS: '2' });
    const port = await hubPort(hub);
    const before = await health(port);
    expect(before.body.replacedWorkers).toBe(0);
    const victim = before.body.workers[0]?.pid as number;
    process.kill(victim, 'SIGKILL');
    await waitFor(() => hub.logs.some((l) => l.msg === 'media worker died'), 'the hub to notice the death');
    await waitFor(() => hub.logs.some((l) => l.msg === 'media worker replaced'), 'the replacement', 10_000);
    const after = await health(port);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ status: 'ok', replacedWorkers: 1 });
    expect(after.body.workers.map((w) => w.pid)).not.toContain(victim);
    expect(after.body.workers.filter((w) => w.alive && processAlive(w.pid))).toHaveLength(2);
  });

  it('stops at start on a bad configuration value, naming the key and variable', async () => {
    const hub = start({ DIEMCAU_PORT: 'eighty' });
    expect((await hub.exited).code).toBe(1);
    expect(hub.stderr()).toContain('port (from DIEMCAU_PORT)');
  });

  it('stops at start when the worker binary is missing, saying how to get one', async () => {
    const hub = start({ MEDIASOUP_WORKER_BIN: '/nonexistent/mediasoup-worker' });
    expect((await hub.exited).code).toBe(1);
    const fatal = hub.logs.find((l) => l.level === 60);
    expect(String(fatal?.msg)).toMatch(/missing or not executable at \/nonexistent\/mediasoup-worker.*npm run setup/);
  });

  it('stops at start when the worker binary is not a mediasoup worker', async () => {
    const hub = start({ MEDIASOUP_WORKER_BIN: '/bin/false' });
    expect((await hub.exited).code).toBe(1);
    const fatal = hub.logs.find((l) => l.level === 60);
    expect(String(fatal?.msg)).toMatch(/failed to start.*npm run setup/);
  });
});
