// A real mediasoup worker with one router (the hub's codecs) for the tests of a file or describe block,
// started before them and closed after them: for tests of the media path without the hub around it.
import type { types } from 'mediasoup';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { mediaCodecs } from '../../server/media/codecs.ts';
import { WorkerPool } from '../../server/media/worker-pool.ts';

export interface BareRouter {
  readonly pool: WorkerPool;
  readonly router: types.Router;
}

export function useBareRouter(): BareRouter {
  const state = {} as { pool: WorkerPool; router: types.Router };
  beforeAll(async () => {
    state.pool = await WorkerPool.start({ count: 1, logLevel: 'warn' }, pino({ level: 'silent' }));
    state.router = await state.pool.next().createRouter({ mediaCodecs });
  });
  afterAll(async () => {
    await state.pool?.close();
  });
  return state;
}
