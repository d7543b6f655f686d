// A real hub in the test's own process: 127.0.0.1, any free port, one worker, a fresh data folder, silent
// logs; `env` adds or overrides configuration variables.
import { pino } from 'pino';
import { loadConfig } from '../../config/config.ts';
import { createHub, type Hub } from '../../server/hub.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';

export async function startHub(env: Record<string, string> = {}): Promise<{ hub: Hub; url: string }> {
  const config = loadConfig({
    DIEMCAU_HOST: '127.0.0.1',
    DIEMCAU_PORT: '0',
    DIEMCAU_LISTEN_IP: '127.0.0.1',
    DIEMCAU_WORKERS: '1',
    DIEMCAU_DATA_DIR: tempDataDir(),
    DIEMCAU_LOG_LEVEL: 'silent',
    ...env,
  });
  const hub = await createHub(config, pino({ level: 'silent' }));
  return { hub, url: `http://127.0.0.1:${(await hub.listen()).port}` };
}
