// Helpers of the organiser-page benchmark (scripts/bench/prepare.ts): a national-size points list (63
// provinces with generated districts under them, Vietnamese headers, no real people) as CSV and as .xlsx,
// one timed HTTP request from a chosen loopback address (the sign-in limit counts per address), and
// the hub's peak resident memory sampled from /proc while something runs.
import { request } from 'node:http';
import writeXlsxFile from 'write-excel-file/node';
import { rssBytes } from './tools.ts';

/** The headers an organiser types (as in the preparation tests): no id column, parents named. */
export const SHEET_HEADER = ['STT', 'Tên điểm cầu', 'Cấp', 'Trực thuộc', 'Địa điểm', 'Người chủ trì', 'Số đại biểu'];

export interface SheetRow {
  name: string;
  level: 'Tỉnh' | 'Huyện';
  parent: string;
  venue: string;
  presiding: string;
  attendance: number;
}

/** `count` rows: up to 63 provinces, each followed by its districts (spread evenly); names are generated. */
export function nationalRows(count: number): SheetRow[] {
  const provinces = Math.min(63, Math.max(1, Math.floor(count / 2)));
  const districts = count - provinces;
  const rows: SheetRow[] = [];
  for (let p = 1; p <= provinces; p++) {
    const province = `Điểm cầu tỉnh ${p}`;
    rows.push({
      name: province,
      level: 'Tỉnh',
      parent: '',
      venue: `Hội trường Ủy ban nhân dân tỉnh ${p}`,
      presiding: 'Chủ tịch Ủy ban bầu cử tỉnh',
      attendance: 60,
    });
    const here = Math.floor(districts / provinces) + (p <= districts % provinces ? 1 : 0);
    for (let d = 1; d <= here; d++) {
      rows.push({
        name: `Điểm cầu huyện ${d} tỉnh ${p}`,
        level: 'Huyện',
        parent: province,
        venue: `Hội trường Ủy ban nhân dân huyện ${d}, tỉnh ${p}`,
        presiding: 'Chủ tịch Ủy ban bầu cử huyện',
        attendance: 20 + ((d * 7 + p) % 40),
      });
    }
  }
  return rows;
}

const cells = (r: SheetRow, i: number): Array<string | number> => [i + 1, r.name, r.level, r.parent, r.venue, r.presiding, r.attendance];

const csvCell = (value: string | number): string => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function rowsToCsv(rows: SheetRow[]): string {
  return [SHEET_HEADER, ...rows.map(cells)].map((line) => line.map(csvCell).join(',')).join('\r\n');
}

export async function rowsToXlsx(rows: SheetRow[]): Promise<Buffer> {
  return writeXlsxFile([SHEET_HEADER, ...rows.map(cells)], { sheet: 'Điểm cầu' }).toBuffer();
}

export interface Timed {
  status: number;
  ms: number;
  /** Bytes of the answer's body. */
  bytes: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers of several routes, read field by field by the bench.
  body: any;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  body?: string | Buffer;
  type?: string;
  /** The loopback address to call from (the hub sees it as the caller's address). */
  from?: string;
}

/**
 * One request on a fresh connection (no keep-alive: the measured route and its baseline pay the same
 * connection set-up), timed from sending to the answer's last byte.
 */
export function timedCall(base: string, method: string, path: string, opts: CallOptions = {}): Promise<Timed> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body = opts.json === undefined ? opts.body : JSON.stringify(opts.json);
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  if (opts.type) headers['content-type'] = opts.type;
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(`${base}/api${path}`, { method, headers, localAddress: opts.from ?? '127.0.0.1', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const ms = performance.now() - start;
        const raw = Buffer.concat(chunks);
        const json = res.headers['content-type']?.includes('json');
        resolve({
          status: res.statusCode ?? 0,
          ms,
          bytes: raw.length,
          body: json ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8'),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Fresh loopback addresses 127.0.x.y, one per call, so no address reaches the sign-in limit (10 a minute). */
export function addresses(): () => string {
  let n = 0;
  return () => {
    const x = Math.floor(n / 240);
    const y = 10 + (n % 240);
    n++;
    if (x > 255) throw new Error('out of loopback addresses');
    return `127.0.${x}.${y}`;
  };
}

/** Samples a process's resident memory every `everyMs` until stopped; answers the highest reading. */
export function rssPeak(pid: number, everyMs = 2): { stop: () => number } {
  let peak = rssBytes(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, rssBytes(pid));
    },
  };
}

export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** p50, p95 and max of samples in ms (nearest rank). */
export function quantiles(ms: number[]): { samples: number; p50: number; p95: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
  return { samples: s.length, p50: round(at(0.5)), p95: round(at(0.95)), max: round(s.at(-1) ?? Number.NaN) };
}
