// The organiser page's heavy routes (issue #15), each against a baseline measured in the same run on the
// same hub: (1) sign-in, scrypt N=2^15, against GET /organiser/me with the token (the same route stack
// without scrypt), and the hub's resident memory during N concurrent sign-ins (32 MiB of scrypt each)
// against N concurrent GET me; (2) the points preview of a national-size list (63 provinces with their
// districts, Vietnamese headers) sent as .xlsx against the same rows as CSV; (3) saving a conference of that
// size with PUT /conferences/:id (a full edit, one point renamed) against GET /conferences/:id/spec.
// The hub runs as users run it (`node server/main.ts`, loopback, a temp data folder, one worker); the first
// account is made with the CLI. Requests are timed from sending to the last byte, each on a fresh connection
// from its own loopback address. Prints a JSON summary and tables; writes test-results/bench/prepare.json.
//
//   npm run bench:prepare -- [--runs 30] [--concurrent 16] [--rows 2000] [--smoke]
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import type { ConferenceSpec, PointSpec } from '../../shared/domain.ts';
import { tempDataDir } from '../lib/data-dir.ts';
import { hubPort, processAlive, spawnHub } from '../lib/hub-process.ts';
import { addresses, nationalRows, quantiles, round, rowsToCsv, rowsToXlsx, rssPeak, type Timed, timedCall } from './lib/prepare-tools.ts';
import { machine, printTable, rssBytes, writeResult } from './lib/tools.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    concurrent: { type: 'string', default: '16' },
    rows: { type: 'string', default: '2000' },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
const RUNS = smoke ? 3 : Number(values.runs);
const CONCURRENT = smoke ? 3 : Number(values.concurrent);
const ROWS = smoke ? 200 : Number(values.rows);
const WARMUP = smoke ? 1 : 3;
const SETTLE_MS = smoke ? 200 : 1000;
if (![RUNS, CONCURRENT, ROWS].every((n) => Number.isInteger(n) && n > 0) || ROWS > 2000) {
  throw new Error('--runs and --concurrent are positive whole numbers, --rows 2 to 2000');
}

const USER = 'bench';
const PASSWORD = 'Mật khẩu đo hiệu năng 2026';
const CONF = 'bench-toan-quoc';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MiB = 2 ** 20;
const cliFile = fileURLToPath(new URL('../../server/cli.ts', import.meta.url));
const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number): number => round(bytes / MiB, 1);
const kib = (bytes: number): number => round(bytes / 1024, 1);

function expectStatus(answer: Timed, status: number, what: string): Timed {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  return answer;
}

interface Pair {
  case: string;
  measured: string;
  baseline: string;
  measuredMs: number[];
  baselineMs: number[];
  /** Body sizes compared, bytes: what each sends or answers (named in `bodies`). */
  measuredBytes: number;
  baselineBytes: number;
  bodies: string;
}

/** Warm-up rounds, then RUNS rounds alternating the measured call and its baseline (drift hits both alike). */
async function alternate(measured: (i: number) => Promise<Timed>, baseline: (i: number) => Promise<Timed>) {
  for (let i = 0; i < WARMUP; i++) {
    await measured(-1 - i);
    await baseline(-1 - i);
  }
  const m: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    m.push((await measured(i)).ms);
    b.push((await baseline(i)).ms);
  }
  return { m, b };
}

interface Burst {
  burst: string;
  concurrent: number;
  wallMs: number;
  p50: number;
  max: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  growthMiB: number;
  rssAfterMiB: number;
}

/** N calls at once; the hub's RSS before (settled), its peak while they run (sampled every 2 ms), after 1 s. */
async function burst(name: string, pid: number, call: () => Promise<Timed>, status: number): Promise<Burst> {
  await sleep(SETTLE_MS);
  const before = rssBytes(pid);
  const sampler = rssPeak(pid);
  const start = performance.now();
  const answers = await Promise.all(Array.from({ length: CONCURRENT }, call));
  const wallMs = performance.now() - start;
  const peak = sampler.stop();
  for (const a of answers) expectStatus(a, status, name);
  await sleep(SETTLE_MS);
  const q = quantiles(answers.map((a) => a.ms));
  return {
    burst: name,
    concurrent: CONCURRENT,
    wallMs: round(wallMs),
    p50: q.p50,
    max: q.max,
    rssBeforeMiB: mib(before),
    rssPeakMiB: mib(peak),
    growthMiB: mib(peak - before),
    rssAfterMiB: mib(rssBytes(pid)),
  };
}

async function signIns(base: string, pid: number, from: () => string) {
  const signIn = () => timedCall(base, 'POST', '/organiser/session', { json: { username: USER, password: PASSWORD }, from: from() });
  const first = expectStatus(await signIn(), 201, 'sign-in');
  const token = first.body.token as string;
  const me = () => timedCall(base, 'GET', '/organiser/me', { token, from: from() });
  const bursts = [await burst('GET /organiser/me', pid, me, 200), await burst('POST /organiser/session', pid, signIn, 201)];
  let signInBytes = 0;
  let meBytes = 0;
  const { m, b } = await alternate(
    async () => {
      const a = expectStatus(await signIn(), 201, 'sign-in');
      signInBytes = a.bytes;
      return a;
    },
    async () => {
      const a = expectStatus(await me(), 200, 'me');
      meBytes = a.bytes;
      return a;
    },
  );
  const pair: Pair = {
    case: 'sign-in',
    measured: 'POST /organiser/session',
    baseline: 'GET /organiser/me',
    measuredMs: m,
    baselineMs: b,
    measuredBytes: signInBytes,
    baselineBytes: meBytes,
    bodies: 'answers',
  };
  return { token, pair, bursts };
}

async function preview(base: string, token: string) {
  const rows = nationalRows(ROWS);
  const csv = rowsToCsv(rows);
  const xlsx = await rowsToXlsx(rows);
  const send = (body: string | Buffer, type: string) => timedCall(base, 'POST', '/points/preview', { token, body, type });
  const answers: { csv?: Timed; xlsx?: Timed } = {};
  const { m, b } = await alternate(
    async () => (answers.xlsx = expectStatus(await send(xlsx, XLSX), 200, 'xlsx preview')),
    async () => (answers.csv = expectStatus(await send(csv, 'text/csv; charset=utf-8'), 200, 'csv preview')),
  );
  const read = answers.csv?.body as { rows: number; points: PointSpec[]; problems: unknown[] };
  if (read.rows !== ROWS || read.points.length !== ROWS || read.problems.length !== 0) {
    throw new Error(`csv preview: ${read.rows} rows, ${read.points.length} points, ${JSON.stringify(read.problems).slice(0, 300)}`);
  }
  const same = JSON.stringify(answers.xlsx?.body) === JSON.stringify(read);
  if (!same) throw new Error('the .xlsx preview differs from the CSV one');
  const pair: Pair = {
    case: `points preview, ${ROWS} rows`,
    measured: 'POST /points/preview (.xlsx)',
    baseline: 'POST /points/preview (CSV)',
    measuredMs: m,
    baselineMs: b,
    measuredBytes: xlsx.length,
    baselineBytes: Buffer.byteLength(csv),
    bodies: 'requests',
  };
  const info = {
    rows: ROWS,
    provinces: rows.filter((r) => r.level === 'Tỉnh').length,
    csvBytes: Buffer.byteLength(csv),
    xlsxBytes: xlsx.length,
    answerBytes: answers.csv?.bytes ?? 0,
    xlsxSameAsCsv: same,
  };
  return { pair, info, points: read.points };
}

async function editing(base: string, token: string, imported: PointSpec[]) {
  const central: PointSpec = {
    id: 'trung-uong',
    name: 'Điểm cầu Trung ương',
    level: 'central',
    parentId: null,
    centralSide: false,
    venue: 'Hội trường trung tâm',
    presiding: 'Chủ tịch Hội đồng bầu cử quốc gia',
    expectedAttendance: 100,
  };
  // The central point and the imported list (its last row dropped when the spec would pass 2000 points).
  const points = [central, ...imported.slice(0, Math.min(imported.length, 1999))].map((p) =>
    p.level === 'province' ? { ...p, parentId: central.id } : p,
  );
  const spec = {
    id: CONF,
    title: 'Hội nghị trực tuyến toàn quốc (đo hiệu năng)',
    organiser: 'Văn phòng đo hiệu năng',
    startsAt: '2027-01-15T08:00:00+07:00',
    centralPointId: central.id,
    points,
  };
  const created = expectStatus(await timedCall(base, 'POST', '/conferences', { token, json: spec }), 201, 'create');
  const current = expectStatus(await timedCall(base, 'GET', `/conferences/${CONF}/spec`, { token }), 200, 'spec').body
    .spec as ConferenceSpec;
  const target = points.length - 1;
  const original = current.points[target]?.name ?? '';
  let putBytes = 0;
  let getBytes = 0;
  let mode = '';
  const { m, b } = await alternate(
    async (i) => {
      const name = `${original} (sửa ${i})`;
      const next = { ...current, points: current.points.map((p, k) => (k === target ? { ...p, name } : p)) };
      putBytes = Buffer.byteLength(JSON.stringify(next));
      const a = expectStatus(await timedCall(base, 'PUT', `/conferences/${CONF}`, { token, json: next }), 200, 'save');
      if (a.body.spec.points[target].name !== name) throw new Error('the saved spec lacks the renamed point');
      mode = a.body.mode;
      return a;
    },
    async () => {
      const a = expectStatus(await timedCall(base, 'GET', `/conferences/${CONF}/spec`, { token }), 200, 'spec');
      getBytes = a.bytes;
      return a;
    },
  );
  const pair: Pair = {
    case: `save a ${points.length}-point conference`,
    measured: 'PUT /conferences/:id',
    baseline: 'GET /conferences/:id/spec',
    measuredMs: m,
    baselineMs: b,
    measuredBytes: putBytes,
    baselineBytes: getBytes,
    bodies: 'PUT request / GET answer',
  };
  return { pair, info: { points: points.length, createMs: round(created.ms), editMode: mode, putBytes, getBytes } };
}

async function main(): Promise<number> {
  console.log(`organiser page: ${RUNS} runs, ${CONCURRENT} concurrent sign-ins, ${ROWS} rows${smoke ? ' (smoke)' : ''}`);
  const dataDir = tempDataDir();
  const hub = spawnHub({
    DIEMCAU_DATA_DIR: dataDir,
    DIEMCAU_DEMO: 'false',
    DIEMCAU_WORKERS: '1',
    DIEMCAU_LISTEN_IP: '127.0.0.1',
    DIEMCAU_RECORDING: 'false',
    DIEMCAU_WORKER_LOG_LEVEL: 'error',
  });
  try {
    const base = `http://127.0.0.1:${await hubPort(hub)}`;
    const pid = hub.child.pid ?? 0;
    const env = { ...process.env, DIEMCAU_DATA_DIR: dataDir, DIEMCAU_ORGANISER_PASSWORD: PASSWORD };
    await run(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', cliFile, 'organiser', 'add', USER, '--name', 'Văn phòng đo hiệu năng', '--admin'],
      { env },
    );
    const rssStart = rssBytes(pid);
    const from = addresses();
    const signed = await signIns(base, pid, from);
    const rssAfterSignIns = rssBytes(pid);
    const previewed = await preview(base, signed.token);
    const rssAfterPreview = rssBytes(pid);
    const edited = await editing(base, signed.token, previewed.points);
    const rssAfterEdits = rssBytes(pid);

    const rows = [signed.pair, previewed.pair, edited.pair].map((p) => {
      const m = quantiles(p.measuredMs);
      const b = quantiles(p.baselineMs);
      return {
        case: p.case,
        measured: p.measured,
        baseline: p.baseline,
        samples: m.samples,
        p50: m.p50,
        p95: m.p95,
        baselineP50: b.p50,
        baselineP95: b.p95,
        ratioP50: round(m.p50 / b.p50),
        ratioP95: round(m.p95 / b.p95),
        bodies: p.bodies,
        measuredKiB: kib(p.measuredBytes),
        baselineKiB: kib(p.baselineBytes),
      };
    });
    const [meBurst, signInBurst] = signed.bursts as [Burst, Burst];
    const summary = {
      scenario: 'prepare',
      machine: machine(),
      runs: RUNS,
      warmup: WARMUP,
      unit: 'ms from sending to the last byte of the answer, fresh connection each',
      threadpool: process.env.UV_THREADPOOL_SIZE ?? '4 (libuv default)',
      rows,
      bursts: signed.bursts,
      burstRatios: {
        growth: round(signInBurst.growthMiB / Math.max(0.1, meBurst.growthMiB)),
        wall: round(signInBurst.wallMs / meBurst.wallMs),
        /** Wall time of the burst over one sign-in's p50: how many sign-ins ran one after another. */
        signInWallOverSingleP50: round(signInBurst.wallMs / (rows[0]?.p50 ?? 1)),
      },
      preview: previewed.info,
      conference: edited.info,
      hubRssMiB: {
        start: mib(rssStart),
        afterSignIns: mib(rssAfterSignIns),
        afterPreview: mib(rssAfterPreview),
        afterEdits: mib(rssAfterEdits),
      },
    };
    console.log(JSON.stringify(summary, null, 2));
    console.log('');
    printTable(
      rows.map((r) => ({
        case: r.case,
        'p50 ms': r.p50,
        'p95 ms': r.p95,
        'base p50': r.baselineP50,
        'base p95': r.baselineP95,
        '×p50': r.ratioP50,
        '×p95': r.ratioP95,
        'KiB (measured / base)': `${r.measuredKiB} / ${r.baselineKiB}`,
      })),
    );
    console.log('');
    printTable(signed.bursts.map((b) => ({ ...b })));
    const file = writeResult(smoke ? 'prepare-smoke' : 'prepare', summary);
    console.log(`wrote ${file}`);
    return 0;
  } finally {
    hub.child.kill('SIGTERM');
    await Promise.race([hub.exited, sleep(15_000)]);
    if (hub.child.pid && processAlive(hub.child.pid)) {
      hub.child.kill('SIGKILL');
      await hub.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

process.exit(await main());
