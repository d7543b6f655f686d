// The cascade's hub registry (issue #16, first slice) against Debian's redis-server started here: a hub
// alone needs no Redis; an origin and an edge (real hubs in this process) find each other; a hub that dies
// without leaving drops out after its entry expires; a clean stop leaves at once; Redis killed and started
// again empty, the hubs write their entries again by themselves; an edge without a Redis address is refused.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { HubRegistry } from '../../server/cascade/registry.ts';
import type { Hub } from '../../server/hub.ts';
import { RedisServer } from '../helpers/redis-server.ts';
import { startHub } from '../helpers/test-hub.ts';
import { until } from '../helpers/wait.ts';

const redis = new RedisServer();
const hubs: Hub[] = [];
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  await redis.start();
}, 20_000);

afterAll(async () => {
  for (const hub of hubs) await hub.close('test over');
  await redis.stop();
}, 60_000);

const ids = async (registry: HubRegistry): Promise<string[]> => (await registry.live()).map((h) => h.hubId);

describe('hub registry in Redis', () => {
  it('a hub alone has no registry and needs no Redis', async () => {
    const { hub } = await startHub();
    hubs.push(hub);
    expect(hub.cascade).toBeUndefined();
  }, 30_000);

  it('an origin and an edge register and see each other, with role, region and address', async () => {
    const common = { DIEMCAU_REDIS_URL: redis.url };
    const origin = await startHub({ ...common, DIEMCAU_HUB_ROLE: 'origin', DIEMCAU_HUB_ID: 'trung-uong', DIEMCAU_REGION: 'Hà Nội' });
    const edge = await startHub({ ...common, DIEMCAU_HUB_ROLE: 'edge', DIEMCAU_HUB_ID: 'dong-nai', DIEMCAU_REGION: 'Đồng Nai' });
    hubs.push(origin.hub, edge.hub);
    const registry = origin.hub.cascade as HubRegistry;
    await until(async () => (await ids(registry)).length === 2, 10_000);
    const live = await (edge.hub.cascade as HubRegistry).live();
    expect(live.map(({ hubId, role, region, url }) => ({ hubId, role, region, url }))).toEqual([
      { hubId: 'dong-nai', role: 'edge', region: 'Đồng Nai', url: edge.url },
      { hubId: 'trung-uong', role: 'origin', region: 'Hà Nội', url: origin.url },
    ]);
  }, 60_000);

  it('a hub that dies drops out when its entry expires; a clean stop leaves at once', async () => {
    const self = { role: 'edge' as const, region: 'Bình Phước', url: 'http://127.0.0.1:1' };
    const watcher = new HubRegistry({ redisUrl: redis.url, self: { ...self, hubId: 'watcher' }, prefix: 't3' }, silent);
    const dying = new HubRegistry({ redisUrl: redis.url, self: { ...self, hubId: 'dying' }, heartbeatMs: 100, prefix: 't3' }, silent);
    const leaving = new HubRegistry({ redisUrl: redis.url, self: { ...self, hubId: 'leaving' }, prefix: 't3' }, silent);
    await Promise.all([watcher.start(), dying.start(), leaving.start()]);
    expect(await ids(watcher)).toEqual(['dying', 'leaving', 'watcher']);
    await leaving.close();
    expect(await ids(watcher)).toEqual(['dying', 'watcher']);
    await dying.close(false);
    expect(await ids(watcher)).toContain('dying');
    await until(async () => !(await ids(watcher)).includes('dying'), 5_000);
    await watcher.close();
  }, 30_000);

  it('Redis killed and started again empty: the hubs write their entries again by themselves', async () => {
    const registry = hubs[1]?.cascade as HubRegistry;
    await redis.stop();
    await redis.start();
    await until(async () => (await ids(registry).catch(() => [])).length === 2, 15_000);
    expect(await ids(registry)).toEqual(['dong-nai', 'trung-uong']);
  }, 40_000);

  it('an origin or edge hub without a Redis address does not start', () => {
    expect(() => loadConfig({ DIEMCAU_HUB_ROLE: 'edge' })).toThrow(/cascade\.redisUrl/);
  });
});
