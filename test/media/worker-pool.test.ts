// The pool never leaves a worker behind: one that cannot exit by itself (here stopped with SIGSTOP, as a
// worker stuck draining a dead TCP link looks from outside) is killed after the grace period of close().
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../server/media/worker-pool.ts';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('worker pool close', () => {
  it('kills a worker that does not exit within the grace period', async () => {
    const pool = await WorkerPool.start({ count: 2, logLevel: 'warn' }, pino({ level: 'silent' }));
    const [stuck, healthy] = pool.live().map((w) => w.pid);
    expect(stuck).toBeTypeOf('number');
    process.kill(stuck as number, 'SIGSTOP');
    const started = Date.now();
    await pool.close();
    expect(alive(stuck as number)).toBe(false);
    expect(alive(healthy as number)).toBe(false);
    // The grace period was given first (about 3 s), and close() did not return before the kill.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    // A second close is the same promise, already settled.
    await pool.close();
  });
});
