// GET /healthz: what a monitoring probe or an operator sees of the hub's media workers.
import { z } from 'zod';

export const WorkerHealth = z.object({
  pid: z.number().int(),
  alive: z.boolean(),
  /** mediasoup version the worker was started for. */
  version: z.string(),
  startedAt: z.iso.datetime(),
});
export type WorkerHealth = z.infer<typeof WorkerHealth>;

export const HealthReport = z.object({
  /** ok: every worker alive; degraded: a worker died and its replacement is not running yet. */
  status: z.enum(['ok', 'degraded']),
  /** Workers that died and were replaced since the hub started. */
  replacedWorkers: z.number().int(),
  uptimeSeconds: z.number(),
  node: z.string(),
  mediasoupVersion: z.string(),
  workerBin: z.string(),
  workers: z.array(WorkerHealth),
});
export type HealthReport = z.infer<typeof HealthReport>;
