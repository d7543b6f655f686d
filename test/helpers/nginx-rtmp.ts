// Debian's nginx with libnginx-mod-rtmp as the RTMP server of the live output tests: one process (no
// daemon, no master), a temporary prefix with its own configuration, an `application live` on a free port
// of 127.0.0.1. stop() kills it; start() again on the same port brings it back (a server that went away).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accepts, freeTcpPort } from './tcp.ts';

export const NGINX = '/usr/sbin/nginx';
export const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

function config(prefix: string, port: number): string {
  return `load_module ${RTMP_MODULE};
daemon off;
master_process off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log info;
events { worker_connections 128; }
rtmp {
  server {
    listen 127.0.0.1:${port};
    chunk_size 4096;
    application live { live on; record off; }
  }
}
`;
}

export class NginxRtmp {
  readonly prefix = mkdtempSync(join(tmpdir(), 'diemcau-nginx-'));
  port = 0;
  #child: ChildProcess | null = null;

  /** Starts nginx (on the same port as before after a stop) and waits until it accepts connections. */
  async start(): Promise<void> {
    if (this.#child) return;
    if (!this.port) this.port = await freeTcpPort();
    const conf = join(this.prefix, 'nginx.conf');
    writeFileSync(conf, config(this.prefix, this.port));
    const child = spawn(NGINX, ['-p', this.prefix, '-c', conf, '-e', join(this.prefix, 'error.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.#child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('exit', () => {
      if (this.#child === child) this.#child = null;
    });
    const deadline = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (!this.#child || Date.now() > deadline) {
        await this.stop();
        throw new Error(`nginx did not start: ${stderr}${this.log()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** rtmp://127.0.0.1:<port>/live/<key> */
  url(key: string): string {
    return `rtmp://127.0.0.1:${this.port}/live/${key}`;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  /** Kills nginx at once (SIGKILL: the pushes see their connection cut) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }

  /** Stops nginx and removes its prefix. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.prefix, { recursive: true, force: true });
  }

  log(): string {
    try {
      return readFileSync(join(this.prefix, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  }
}
