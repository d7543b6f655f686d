// A hub in the benchmark's own process: loopback only, a fresh data folder, the demo conferences, and the
// request and join limits lifted so that the load, not a rate limiter, is what is measured; `env` adds or
// overrides settings (DIEMCAU_STANDBY=0 for the path without standby consumers).
import { pino } from 'pino';
import { loadConfig } from '../../../config/config.ts';
import { createHub, type Hub } from '../../../server/hub.ts';
import { tempDataDir } from '../../lib/data-dir.ts';

export async function startBenchHub(workers = 1, env: Record<string, string> = {}): Promise<{ hub: Hub; url: string }> {
  const config = loadConfig({
    DIEMCAU_HOST: '127.0.0.1',
    DIEMCAU_PORT: '0',
    DIEMCAU_LISTEN_IP: '127.0.0.1',
    DIEMCAU_WORKERS: String(workers),
    DIEMCAU_DATA_DIR: tempDataDir(),
    DIEMCAU_REQUESTS_PER_SECOND: '10000',
    DIEMCAU_JOINS_PER_MINUTE: '100000',
    DIEMCAU_POINT_ACTIONS_PER_MINUTE: '100000',
    DIEMCAU_WORKER_LOG_LEVEL: 'error',
    ...env,
  });
  const hub = await createHub(config, pino({ level: 'silent' }));
  return { hub, url: `http://127.0.0.1:${(await hub.listen()).port}` };
}
