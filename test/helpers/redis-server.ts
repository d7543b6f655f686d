// Debian's redis-server for the cascade tests: one process on a free port of 127.0.0.1, nothing kept on disk
// (no RDB, no AOF). stop() kills it (SIGKILL: a Redis that went away); start() again brings it back on the
// same port, empty — what the hubs must ride out.
import { type ChildProcess, spawn } from 'node:child_process';
import { accepts, freeTcpPort } from './tcp.ts';

export const REDIS_SERVER = '/usr/bin/redis-server';

export class RedisServer {
  port = 0;
  #child: ChildProcess | null = null;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.#child) return;
    if (!this.port) this.port = await freeTcpPort();
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', () => {
      if (this.#child === child) this.#child = null;
    });
    const deadline = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (!this.#child || Date.now() > deadline) {
        await this.stop();
        throw new Error(`redis-server did not start: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }
}
