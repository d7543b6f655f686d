// A virtual X display (Xvfb) for a browser that must not run headless: Firefox ESR has no screen to capture
// headless (getDisplayMedia: NotFoundError) but shares Xvfb's "Primary Monitor" with no picker. Xvfb runs in
// the root namespace; a Firefox inside a test network namespace reaches it through its socket in
// /tmp/.X11-unix (a path on the shared filesystem). Close it with close(): test/global-teardown.ts fails the
// run on any process left behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface Xvfb {
  /** ':97' and the like, for DISPLAY. */
  display: string;
  close(): Promise<void>;
}

/** Why no Xvfb can be started here, or undefined. */
export function xvfbMissing(): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  for (const dir of dirs) {
    try {
      accessSync(join(dir, 'Xvfb'), constants.X_OK);
      return undefined;
    } catch {
      // not here
    }
  }
  return 'Xvfb is not installed (apt-get install xvfb, or bash scripts/setup.sh --test)';
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const gone = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** Starts Xvfb on the first free display from :97 (no lock file, no socket), `size` as WxHxDepth. */
export async function startXvfb(size = '1920x1080x24'): Promise<Xvfb> {
  for (let n = 97; n < 140; n++) {
    if (existsSync(`/tmp/.X${n}-lock`) || existsSync(`/tmp/.X11-unix/X${n}`)) continue;
    const child = spawn('Xvfb', [`:${n}`, '-screen', '0', size, '-nolisten', 'tcp'], { stdio: 'ignore' });
    child.on('error', () => undefined);
    const deadline = Date.now() + 10_000;
    while (!gone(child) && !existsSync(`/tmp/.X11-unix/X${n}`) && Date.now() < deadline) await sleep(50);
    if (gone(child)) continue; // taken meanwhile: the next one
    if (!existsSync(`/tmp/.X11-unix/X${n}`)) {
      await stop(child);
      throw new Error(`Xvfb :${n} made no socket in 10 s`);
    }
    return { display: `:${n}`, close: () => stop(child) };
  }
  throw new Error('no free X display from :97 to :139');
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. */
async function stop(child: ChildProcess): Promise<void> {
  if (gone(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(3000)]);
  if (!gone(child)) {
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(2000)]);
  }
}
