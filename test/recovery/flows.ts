// Media flows between headless points, measured from the packets themselves: which (receiver, origin,
// audio|video) flows are running, and after a fault, how long until each runs again without a stall.
import type { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { sleep } from '../helpers/wait.ts';

export interface Flow {
  readonly to: HeadlessPoint;
  readonly from: string;
  readonly what: 'audio' | 'video';
}

export const flowName = (f: Flow): string => `${f.from}→${f.to.label} ${f.what}`;
const count = (f: Flow): number => f.to.receiver?.fromOrigin(f.from, f.what) ?? 0;

/** The flows that grew over `ms`, among every receiver × origin × kind. */
export async function runningFlows(receivers: readonly HeadlessPoint[], origins: readonly string[], ms = 1500): Promise<Flow[]> {
  const all = receivers.flatMap((to) => origins.flatMap((from) => (['audio', 'video'] as const).map((what) => ({ to, from, what }))));
  const before = all.map(count);
  await sleep(ms);
  return all.filter((f, i) => count(f) > (before[i] ?? 0));
}

export interface RecoveryOptions {
  /** No packet for this long counts as a stall; default 250 ms (video layers send every 60 ms). */
  stallMs?: number;
  /** A flow counts as back once it has run this long without a stall; default 1500 ms. */
  steadyMs?: number;
  timeoutMs?: number;
}

/**
 * Watches every flow from `faultAt` on (sampled every 10 ms). Where a consumer that carried a flow (had packets)
 * closed after the fault, the flow is back at the first packet of the consumer that replaced it (same
 * origin, kind and purpose, created after the fault), as stamped by the receiving socket; a flow whose
 * consumers all stayed open counts 0. (Gaps in counting are not used for timing: a test process that
 * also runs the hub stalls now and then, and its packets are then counted late, in a burst.) Resolves
 * once every flow is back and has grown steadily for `steadyMs`; rejects after `timeoutMs` naming the
 * flows still down.
 */
export async function measureRecovery(flows: readonly Flow[], faultAt: number, options: RecoveryOptions = {}): Promise<Map<Flow, number>> {
  const { stallMs = 250, steadyMs = 1500, timeoutMs = 20_000 } = options;
  // Only consumers that carried packets: a standby consumer (paused at the hub) is open but carries nothing.
  const carriers = flows.map((f) =>
    f.to.consumers({ pointId: f.from, kind: f.what, open: true }).filter((c) => c.firstPacketAt !== undefined),
  );
  const last = flows.map(count);
  const lastGrowth = flows.map(() => faultAt);
  const steadySince = flows.map(() => faultAt);
  /** When the flow is back, or undefined while a replaced consumer has no successor with packets yet. */
  const backAt = (i: number): number | undefined => {
    const f = flows[i] as Flow;
    let at = faultAt;
    for (const old of carriers[i] ?? []) {
      if (old.closedAt === undefined) continue;
      const next = f.to
        .consumers({ pointId: f.from, kind: f.what, purpose: old.purpose })
        .filter((c) => c.createdAt >= faultAt && c.firstPacketAt !== undefined);
      if (next.length === 0) return undefined;
      at = Math.max(at, Math.min(...next.map((c) => c.firstPacketAt as number)));
    }
    return at;
  };
  for (;;) {
    const now = Date.now();
    flows.forEach((f, i) => {
      const n = count(f);
      if (n > (last[i] ?? 0)) {
        if (now - (lastGrowth[i] ?? faultAt) > stallMs) steadySince[i] = now;
        lastGrowth[i] = now;
        last[i] = n;
      }
    });
    const back = flows.map((_, i) => backAt(i));
    const steady = flows.every((_, i) => {
      const at = back[i];
      return at !== undefined && now - (lastGrowth[i] ?? 0) < stallMs && now - Math.max(at, steadySince[i] ?? 0) >= steadyMs;
    });
    if (steady) return new Map(flows.map((f, i) => [f, (back[i] ?? faultAt) - faultAt]));
    if (now - faultAt > timeoutMs) {
      const down = flows.filter((_, i) => back[i] === undefined || now - (lastGrowth[i] ?? 0) >= stallMs).map(flowName);
      throw new Error(`media not back after ${timeoutMs} ms: ${down.join(', ')}`);
    }
    await sleep(10);
  }
}

const p50 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;

/**
 * Per receiving point, the time until all of its flows were back (its slowest flow); then p50 and max
 * over the points, and the flow that took longest.
 */
export function summarise(times: Map<Flow, number>): {
  flows: number;
  interruptedFlows: number;
  points: Record<string, number>;
  pointP50Ms: number;
  maxMs: number;
  slowest: string;
} {
  const points: Record<string, number> = {};
  let slowest: [Flow, number] | undefined;
  for (const [flow, ms] of times) {
    points[flow.to.label] = Math.max(points[flow.to.label] ?? 0, ms);
    if (!slowest || ms > slowest[1]) slowest = [flow, ms];
  }
  const perPoint = Object.values(points);
  return {
    flows: times.size,
    interruptedFlows: [...times.values()].filter((v) => v > 0).length,
    points,
    pointP50Ms: p50(perPoint),
    maxMs: Math.max(0, ...perPoint),
    slowest: slowest ? flowName(slowest[0]) : '',
  };
}
