// REST calls for the API tests: one request with a Bearer token, a JSON or raw body, and the answer read as
// JSON when it is JSON (else text), with its bytes. `apiConference` is the small spec those tests create.
import type { ConferenceSpec } from '../../shared/domain.ts';

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: answers of every route, read field by field in the assertions.
  body: any;
  bytes: Buffer;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  body?: string | Uint8Array | FormData;
  /** The body's Content-Type (a raw body). */
  type?: string;
  headers?: Record<string, string>;
}

/** A caller of the hub at `base()` (read at each call: the hub starts in beforeAll); paths may omit `/api`. */
export function restCaller(base: () => string, defaultToken: () => string | undefined = () => undefined) {
  return async (method: string, path: string, opts: CallOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token ?? defaultToken();
    if (token) headers.authorization = `Bearer ${token}`;
    let body = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] = 'application/json';
    }
    if (opts.type) headers['content-type'] = opts.type;
    const res = await fetch(`${base()}${path.startsWith('/api') ? '' : '/api'}${path}`, { method, headers, body });
    const bytes = Buffer.from(await res.arrayBuffer());
    const json = res.headers.get('content-type')?.includes('json');
    return { status: res.status, headers: res.headers, body: json ? JSON.parse(bytes.toString('utf8')) : bytes.toString('utf8'), bytes };
  };
}

/** The API tests' conference: a central point, a central-side point and a province, one agenda item. */
export const apiConference = (id: string, extra: Partial<ConferenceSpec> = {}): ConferenceSpec =>
  ({
    id,
    title: 'Hội nghị trực tuyến thử nghiệm',
    organiser: 'Ủy ban bầu cử',
    startsAt: '2026-05-01T08:00:00+07:00',
    centralPointId: 'trung-uong',
    questionCategories: ['Bầu cử', 'Khác'],
    points: [
      { id: 'trung-uong', name: 'Điểm cầu Trung ương', level: 'central', expectedAttendance: 60 },
      { id: 'phia-nam', name: 'Ban Công tác phía Nam', level: 'central', parentId: 'trung-uong', centralSide: true },
      { id: 'ha-noi', name: 'Điểm cầu Hà Nội', level: 'province', parentId: 'trung-uong', expectedAttendance: 30 },
    ],
    agenda: [{ id: 'khai-mac', title: 'Khai mạc', plannedMinutes: 10 }],
    ...extra,
  }) as ConferenceSpec;
