// A hub in the benchmark's own process like bench-hub.ts (loopback, fresh data folder, demo conferences,
// limits lifted), with standby consumers on or off (DIEMCAU_STANDBY), for benchmarks that compare both.
import { pino } from 'pino';
import { loadConfig } from '../../../config/config.ts';
import { createHub, type Hub } from '../../../server/hub.ts';
import { tempDataDir } from '../../lib/data-dir.ts';

export async function startHubWithStandby(standby: boolean, workers = 1): Promise<{ hub: Hub; url: string }> {
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
    DIEMCAU_STANDBY: standby ? '1' : '0',
  });
  const hub = await createHub(config, pino({ level: 'silent' }));
  return { hub, url: `http://127.0.0.1:${(await hub.listen()).port}` };
}
