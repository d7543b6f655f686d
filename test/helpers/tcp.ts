// TCP bits for the tests that run their own servers (nginx-rtmp, redis-server): a free port of 127.0.0.1,
// whether something accepts connections on one, and the server process kept on one.
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A server process the tests start on a free port of 127.0.0.1 and kill (nginx-rtmp, redis-server): start()
 * waits until it accepts connections (same port after a stop), stop() kills it at once and waits for its exit.
 */
export class PortProcess {
  port = 0;
  #child: ChildProcess | null = null;

  get running(): boolean {
    return this.#child !== null;
  }

  /** `launch` spawns the server on `port`; a failure says `what` and the server's stderr (and `log()`). */
  async start(launch: (port: number) => ChildProcess, what: string, log: () => string = () => ''): Promise<void> {
    if (this.#child) return;
    if (!this.port) this.port = await freeTcpPort();
    const child = launch(this.port);
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
        throw new Error(`${what} did not start: ${stderr}${log()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL: clients see their connection cut, as when the server goes away. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }
}
