// GET /healthz: 200 while every media worker is alive, 503 from a worker's death until its replacement runs.
import { Router } from 'express';
import * as mediasoup from 'mediasoup';
import type { HealthReport } from '../../shared/health.ts';
import { WorkerPool } from '../media/worker-pool.ts';

export function healthRouter(workers: WorkerPool): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const list = workers.health();
    const ok = list.length > 0 && list.every((w) => w.alive) && workers.replacingCount === 0;
    const report: HealthReport = {
      status: ok ? 'ok' : 'degraded',
      replacedWorkers: workers.replacedCount,
      uptimeSeconds: Math.round(process.uptime()),
      node: process.version,
      mediasoupVersion: mediasoup.version,
      workerBin: WorkerPool.workerBin,
      workers: list,
    };
    res.status(ok ? 200 : 503).json(report);
  });
  return router;
}
