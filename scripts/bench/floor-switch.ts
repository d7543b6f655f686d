// Floor switch: the host of a demo conference hands the floor round robin among three points that ask for it
// in turn (each asks again after its turn, so the next speaker is always the queue's head), with the other
// publishing points (Đồng Nai's eleven districts, or the MTTQ plan's 63 provinces) and viewers receiving. For
// every receiver except at the speaking point: the time from just before the grant request to the first
// packet of the new speaker's stage audio and stage video. The senders make key frames only when the hub asks
// (PLI/FIR) as an encoder does (--key-frames always: every packet one, the earlier runs' setting), and a
// simulcast consumer forwards nothing before a key frame, so the first video packet is the first key frame.
// Targets in the same run: the hub without standby (DIEMCAU_STANDBY=0: stage consumers made at the switch),
// the hub with standby (the queue's first points consumed ahead, paused, turned into the stage), and on the
// Đồng Nai plan a bare mediasoup router with the same senders and receivers on plain SRTP transports, where a
// "switch" closes the previous stage consumers and creates (resume + requestKeyFrame) the new speaker's.
// Prints p50/p95 and misses, the packets a second the receivers got during the switches against the loopback
// UDP ceiling measured in the same run; writes test-results/bench/floor-switch[-mttq].json.
//
//   node scripts/bench/floor-switch.ts [--plan dong-nai|mttq] [--receivers 20] [--switches 50]
//     [--key-frames on-request|always] [--settle-ms 2500] [--timeout-ms 5000] [--no-bare] [--smoke]
import { parseArgs } from 'node:util';
import * as mediasoup from 'mediasoup';
import { HeadlessPoint } from '../lib/headless/point.ts';
import type { MediaSenderOptions } from '../lib/headless/sender.ts';
import { bareTarget, newest, type Receiving, type Target, viewerPoint } from './lib/bare-floor.ts';
import { startBenchHub } from './lib/bench-hub.ts';
import { machine, printTable, udpCeiling, writeResult } from './lib/tools.ts';

const { values } = parseArgs({
  options: {
    receivers: { type: 'string', default: '20' },
    switches: { type: 'string', default: '50' },
    'timeout-ms': { type: 'string', default: '5000' },
    /** dong-nai: its 11 districts publish; mttq: its 63 provinces publish (65 points with the centre's two). */
    plan: { type: 'string', default: 'dong-nai' },
    /** on-request: key frames only when the hub asks (PLI/FIR), as an encoder; always: every packet one. */
    'key-frames': { type: 'string', default: 'on-request' },
    /** After each switch, before the next: the previous speaker asks again and standby consumers are made. */
    'settle-ms': { type: 'string', default: '2500' },
    bare: { type: 'boolean', default: true },
    smoke: { type: 'boolean', default: false },
  },
  allowNegative: true,
});
const smoke = values.smoke;
const VIEWERS = smoke ? 2 : Number(values.receivers);
const SWITCHES = smoke ? 3 : Number(values.switches);
const TIMEOUT_MS = smoke ? 3000 : Number(values['timeout-ms']);
const MTTQ = values.plan === 'mttq';
const CONFERENCE = MTTQ ? 'mttq-giam-sat-bau-cu-dot-1' : 'dong-nai-tap-huan-bau-cu';
const CENTRE = MTTQ ? 'trung-uong' : 'tinh-dong-nai';
const KEY_FRAMES = values['key-frames'] === 'always' ? 'always' : 'on-request';
const SETTLE_MS = smoke ? 1200 : Number(values['settle-ms']);
/** The speakers the floor goes round (each asks again after its turn, so the queue's head is the next one). */
const SPEAKERS = 3;
/** Senders run at most this long (bounded), far longer than the run needs. */
const MAX_SEND_MS = 30 * 60_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One switch: every receiver's delay to the new speaker's first stage audio and video packet (null = missed). */
interface SwitchResult {
  audio: Array<number | null>;
  video: Array<number | null>;
}

async function hubTarget(standby: boolean): Promise<Target> {
  const { hub, url } = await startBenchHub(1, { DIEMCAU_STANDBY: standby ? '1' : '0' });
  const spec = hub.conferences.get(CONFERENCE)?.spec;
  if (!spec) throw new Error('demo conference missing');
  const districts = spec.points.filter((p) => p.id !== CENTRE && !p.centralSide).map((p) => p.id);
  const points: HeadlessPoint[] = [];
  const techs = new Map<string, HeadlessPoint>();
  const join = async (pointId: string, role: 'host' | 'technician' | 'viewer'): Promise<HeadlessPoint> => {
    const { token } = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
    const p = await HeadlessPoint.join(url, token, { label: `${pointId}/${role}`, maxSendMs: MAX_SEND_MS, requestTimeoutMs: 20_000 });
    points.push(p);
    return p;
  };
  try {
    const host = await join(CENTRE, 'host');
    const receiving: Array<{ point: HeadlessPoint; r: Receiving }> = [];
    for (const district of districts) {
      const tech = await join(district, 'technician');
      await tech.publish({ audio: true, video: true, keyFrames: KEY_FRAMES as MediaSenderOptions['keyFrames'] });
      techs.set(district, tech);
      receiving.push({ point: tech, r: { pointId: district, receiver: await tech.receive() } });
    }
    for (let i = 0; i < VIEWERS; i++) {
      const pointId = viewerPoint(districts, i);
      const viewer = await join(pointId, 'viewer');
      receiving.push({ point: viewer, r: { pointId, receiver: await viewer.receive() } });
    }
    // The first speakers ask for the floor: the queue's head is always the next one.
    for (const id of districts.slice(0, SPEAKERS)) await techs.get(id)?.call('floor.request', { note: '' });
    return {
      name: standby ? 'hub+standby' : 'hub',
      districts,
      grant: async (pointId) => {
        await host.call('floor.grant', { pointId, seconds: 3600 });
      },
      request: async (pointId) => {
        await techs.get(pointId)?.call('floor.request', { note: '' });
      },
      receivers: () => receiving.map((x) => x.r),
      stageCounter: (r, pointId, kind, since) => newest(r.receiver.list({ purpose: 'stage', pointId, kind }), since),
      close: async () => {
        for (const p of points) await p.close();
        await hub.close('bench done');
      },
    };
  } catch (error) {
    for (const p of points) await p.close();
    await hub.close('bench failed');
    throw error;
  }
}

/** One switch to `speaker`: the clock starts just before the grant, then waits for every receiver. */
async function oneSwitch(target: Target, speaker: string): Promise<SwitchResult> {
  const receivers = target.receivers().filter((r) => r.pointId !== speaker);
  const t0 = Date.now();
  await target.grant(speaker);
  const deadline = t0 + TIMEOUT_MS;
  const delay = (r: Receiving, kind: 'audio' | 'video'): number | undefined => {
    const at = target.stageCounter(r, speaker, kind, t0)?.firstPacketInPurposeAt;
    return at === undefined ? undefined : at - t0;
  };
  for (;;) {
    const done = receivers.every((r) => delay(r, 'audio') !== undefined && delay(r, 'video') !== undefined);
    if (done || Date.now() > deadline) break;
    await sleep(5);
  }
  return {
    audio: receivers.map((r) => delay(r, 'audio') ?? null),
    video: receivers.map((r) => delay(r, 'video') ?? null),
  };
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

interface Row {
  target: string;
  kind: 'audio' | 'video';
  switches: number;
  receivers: number;
  samples: number;
  p50: number;
  p95: number;
  max: number;
  misses: number;
  /** Packets a second all receivers got over the switches (both kinds). */
  receivedPps: number;
  ppsOverUdpCeiling: number;
}

async function run(target: Target, ceiling: number): Promise<Row[]> {
  const speakers = target.districts.slice(0, SPEAKERS);
  // Let the senders' first Sender Reports arrive (simulcast layer choice), then a first grant not measured.
  await sleep(smoke ? 1000 : 2000);
  await oneSwitch(target, speakers[0] as string);
  await sleep(SETTLE_MS);
  const results: SwitchResult[] = [];
  const received = (): number => target.receivers().reduce((sum, r) => sum + r.receiver.packets(), 0);
  const packets0 = received();
  const t0 = performance.now();
  for (let s = 1; s <= SWITCHES; s++) {
    results.push(await oneSwitch(target, speakers[s % speakers.length] as string));
    // The previous speaker asks again (the end of the queue); the next one is the queue's head.
    await target.request(speakers[(s - 1) % speakers.length] as string);
    await sleep(SETTLE_MS);
  }
  const receivedPps = Math.round((received() - packets0) / ((performance.now() - t0) / 1000));
  return (['audio', 'video'] as const).map((kind) => {
    const all = results.flatMap((r) => r[kind]);
    const ok = all.filter((x): x is number => x !== null).sort((a, b) => a - b);
    return {
      target: target.name,
      kind,
      switches: SWITCHES,
      receivers: target.receivers().length,
      samples: ok.length,
      p50: round(quantile(ok, 0.5)),
      p95: round(quantile(ok, 0.95)),
      max: round(ok.at(-1) ?? NaN),
      misses: all.length - ok.length,
      receivedPps,
      ppsOverUdpCeiling: round(receivedPps / ceiling, 3),
    };
  });
}

async function main(): Promise<void> {
  const plan = MTTQ ? '63 publishing provinces (MTTQ)' : '11 publishing districts (Đồng Nai)';
  console.log(
    `floor switch: ${SWITCHES} switches, ${plan} receiving + ${VIEWERS} viewers, key frames ${KEY_FRAMES}${smoke ? ' (smoke)' : ''}`,
  );
  const ceiling = await udpCeiling(smoke ? 1 : 3);
  console.log(`loopback UDP ceiling: ${ceiling} packets/s`);
  const rows: Row[] = [];
  let districts: string[] = [];
  for (const standby of [false, true]) {
    const hub = await hubTarget(standby);
    districts = hub.districts;
    try {
      rows.push(...(await run(hub, ceiling)));
    } finally {
      await hub.close();
    }
    for (const row of rows.filter((r) => r.target === hub.name)) console.log(JSON.stringify(row));
  }
  if (values.bare && !MTTQ) {
    const bare = await bareTarget(districts, { viewers: VIEWERS, maxSendMs: MAX_SEND_MS, keyFrames: KEY_FRAMES });
    try {
      rows.push(...(await run(bare, ceiling)));
    } finally {
      await bare.close();
    }
    for (const row of rows.filter((r) => r.target === 'bare')) console.log(JSON.stringify(row));
  }
  console.log('');
  printTable(rows.map((r) => ({ ...r })));
  const ratio = (a: string, b: string, kind: 'audio' | 'video', q: 'p50' | 'p95'): number => {
    const x = rows.find((r) => r.target === a && r.kind === kind);
    const y = rows.find((r) => r.target === b && r.kind === kind);
    return x && y ? round(x[q] / y[q], 2) : NaN;
  };
  const ratios = (['audio', 'video'] as const).map((kind) => ({
    kind,
    standbyOverHubP50: ratio('hub+standby', 'hub', kind, 'p50'),
    standbyOverHubP95: ratio('hub+standby', 'hub', kind, 'p95'),
    hubOverBareP50: ratio('hub', 'bare', kind, 'p50'),
    hubOverBareP95: ratio('hub', 'bare', kind, 'p95'),
  }));
  console.log('');
  printTable(ratios);
  const file = writeResult(smoke ? 'floor-switch-smoke' : `floor-switch${MTTQ ? '-mttq' : ''}`, {
    scenario: 'floor-switch',
    machine: machine(),
    mediasoup: mediasoup.version,
    plan: CONFERENCE,
    keyFrames: KEY_FRAMES,
    settleMs: SETTLE_MS,
    unit: 'ms from just before the grant to the first packet of the new stage consumer (video: first key frame)',
    timeoutMs: TIMEOUT_MS,
    udpCeilingPps: ceiling,
    rows,
    ratios,
  });
  console.log(`\nwrote ${file}`);
}

await main();
process.exit(0);
