// A real hub in the test's own process: 127.0.0.1, any free port, one worker, a fresh data folder, silent
// logs; `env` adds or overrides configuration variables. hubAndBrowser: the same with Chromium, for a test file.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { createHub, type Hub } from '../../server/hub.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { ensureClientBuilt, launch } from './browser.ts';

export async function startHub(env: Record<string, string> = {}): Promise<{ hub: Hub; url: string }> {
  const config = loadConfig({
    DIEMCAU_HOST: '127.0.0.1',
    DIEMCAU_PORT: '0',
    DIEMCAU_LISTEN_IP: '127.0.0.1',
    DIEMCAU_WORKERS: '1',
    DIEMCAU_DATA_DIR: tempDataDir(),
    DIEMCAU_LOG_LEVEL: 'silent',
    // No recorder process unless a test asks for one (DIEMCAU_RECORDING: '1').
    DIEMCAU_RECORDING: '0',
    DIEMCAU_RECORDING_MIN_FREE_MB: '64',
    ...env,
  });
  const hub = await createHub(config, pino({ level: 'silent' }));
  return { hub, url: `http://127.0.0.1:${(await hub.listen()).port}` };
}

export interface BrowserHub {
  hub: Hub;
  url: string;
  browser: Browser;
}

/**
 * The set-up of a browser test file: before its tests, the folders in `dirs`, the client build, a hub in
 * this process and one Chromium (handed to the file by `ready`); after them, both closed.
 */
export function hubAndBrowser(ready: (started: BrowserHub) => void, dirs: readonly string[] = [], startMs = 120_000): void {
  let started: BrowserHub | undefined;
  beforeAll(async () => {
    for (const dir of dirs) mkdirSync(dir, { recursive: true });
    ensureClientBuilt();
    const { hub, url } = await startHub();
    started = { hub, url, browser: await launch() };
    ready(started);
  }, startMs);
  afterAll(async () => {
    await started?.browser.close();
    await started?.hub.close('test over');
  }, 60_000);
}
