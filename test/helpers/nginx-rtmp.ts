// Debian's nginx with libnginx-mod-rtmp as the RTMP server of the live output tests: one process (no
// daemon, no master), a temporary prefix with its own configuration, an `application live` on a free port
// of 127.0.0.1. stop() kills it; start() again on the same port brings it back (a server that went away).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortProcess } from './tcp.ts';

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
  readonly #process = new PortProcess();

  get port(): number {
    return this.#process.port;
  }

  /** Starts nginx (on the same port as before after a stop) and waits until it accepts connections. */
  start(): Promise<void> {
    const launch = (port: number) => {
      const conf = join(this.prefix, 'nginx.conf');
      writeFileSync(conf, config(this.prefix, port));
      return spawn(NGINX, ['-p', this.prefix, '-c', conf, '-e', join(this.prefix, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
    };
    return this.#process.start(launch, 'nginx', () => this.log());
  }

  /** rtmp://127.0.0.1:<port>/live/<key> */
  url(key: string): string {
    return `rtmp://127.0.0.1:${this.port}/live/${key}`;
  }

  get running(): boolean {
    return this.#process.running;
  }

  /** Kills nginx at once (SIGKILL: the pushes see their connection cut) and waits until it is gone. */
  stop(): Promise<void> {
    return this.#process.stop();
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
