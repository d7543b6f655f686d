// Debian's redis-server for the cascade tests: one process on a free port of 127.0.0.1, nothing kept on disk
// (no RDB, no AOF). stop() kills it (SIGKILL: a Redis that went away); start() again brings it back on the
// same port, empty — what the hubs must ride out.
import { spawn } from 'node:child_process';
import { PortProcess } from './tcp.ts';

export const REDIS_SERVER = '/usr/bin/redis-server';

export class RedisServer {
  readonly #process = new PortProcess();

  get port(): number {
    return this.#process.port;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    return this.#process.start((port) => {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
      return spawn(REDIS_SERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    }, 'redis-server');
  }

  stop(): Promise<void> {
    return this.#process.stop();
  }
}
