// The floor as pure domain logic, on vitest's fake clock: queue order, grants, timer, warning, errors, and
// the write path: every change (the timer's expiry too) is committed before it takes effect, or not at all.
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Floor, type FloorChange } from '../../server/conference/floor.ts';
import { HubError } from '../../server/errors.ts';

const logger = pino({ level: 'silent' });
let floor: Floor;
const changes: string[] = [];
const warnings: Array<{ pointId: string; secondsLeft: number }> = [];

beforeEach(() => {
  vi.useFakeTimers();
  floor = new Floor({ defaultSeconds: 120, now: () => Date.now(), logger });
  changes.length = 0;
  warnings.length = 0;
  floor.on('changed', (view, cause) => changes.push(`${cause}:${view.pointId ?? 'centre'}:${view.queue.map((q) => q.pointId).join(',')}`));
  floor.on('warning', (w) => warnings.push(w));
});

afterEach(() => {
  floor.close();
  vi.useRealTimers();
});

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof HubError ? error.code : 'not a HubError';
  }
};

describe('floor', () => {
  it('queues requests first come first served, and the host reorders and drops', () => {
    expect(floor.request('bien-hoa', '')).toBe(1);
    expect(floor.request('long-khanh', 'câu hỏi')).toBe(2);
    expect(floor.request('xuan-loc', '')).toBe(3);
    expect(code(() => floor.request('long-khanh', ''))).toBe('conflict');
    floor.reorder('xuan-loc', 0);
    expect(floor.view().queue.map((q) => q.pointId)).toEqual(['xuan-loc', 'bien-hoa', 'long-khanh']);
    floor.reorder('xuan-loc', 99);
    expect(floor.position('xuan-loc')).toBe(3);
    floor.drop('bien-hoa');
    floor.cancel('long-khanh');
    expect(floor.view().queue.map((q) => q.pointId)).toEqual(['xuan-loc']);
    expect(code(() => floor.drop('bien-hoa'))).toBe('not_found');
    expect(code(() => floor.cancel('nobody'))).toBe('not_found');
  });

  it('clears the rehearsal in one change: the speaker back at the centre, the queue empty; nothing to clear is no change', () => {
    floor.request('bien-hoa', '');
    floor.request('long-khanh', '');
    floor.grant('xuan-loc', 60);
    expect(floor.clear()).toBe(true);
    expect(floor.view()).toMatchObject({ pointId: null, endsAt: null, queue: [] });
    expect(floor.clear()).toBe(false);
    expect(changes.slice(-1)).toEqual(['clear:centre:']);
    vi.advanceTimersByTime(120_000);
    expect(changes.slice(-1)).toEqual(['clear:centre:']);
  });

  it('grants one point at a time, takes it out of the queue, and revokes back to the centre', () => {
    floor.request('bien-hoa', '');
    floor.grant('bien-hoa');
    expect(floor.view()).toMatchObject({ pointId: 'bien-hoa', endsAt: Date.now() + 120_000, queue: [] });
    expect(code(() => floor.request('bien-hoa', ''))).toBe('conflict');
    floor.grant('long-khanh', 60);
    expect(floor.holder).toBe('long-khanh');
    floor.revoke();
    expect(floor.view()).toMatchObject({ pointId: null, endsAt: null });
    expect(code(() => floor.revoke())).toBe('conflict');
    expect(code(() => floor.extend(30))).toBe('conflict');
    expect(changes).toEqual(['request:centre:bien-hoa', 'grant:bien-hoa:', 'grant:long-khanh:', 'revoke:centre:']);
  });

  it('warns 30 s before the end and returns to the centre at zero; extend moves both', () => {
    floor.grant('tan-phu', 60);
    vi.advanceTimersByTime(29_000);
    expect(warnings).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(warnings).toEqual([{ pointId: 'tan-phu', secondsLeft: 30 }]);
    floor.extend(60); // now ends at 120 s: warned again at 90 s
    vi.advanceTimersByTime(59_000);
    expect(warnings).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(warnings).toEqual([
      { pointId: 'tan-phu', secondsLeft: 30 },
      { pointId: 'tan-phu', secondsLeft: 30 },
    ]);
    vi.advanceTimersByTime(29_000);
    expect(floor.holder).toBe('tan-phu');
    vi.advanceTimersByTime(1_000);
    expect(floor.holder).toBeNull();
    expect(changes.at(-1)).toBe('expire:centre:');
  });

  it('warns at once when the grant is shorter than the warning', () => {
    floor.grant('cam-my', 5);
    vi.advanceTimersByTime(0);
    expect(warnings).toEqual([{ pointId: 'cam-my', secondsLeft: 5 }]);
    vi.advanceTimersByTime(5_000);
    expect(floor.holder).toBeNull();
  });
});

describe('floor write path', () => {
  const HOST = { pointId: 'tinh-dong-nai', role: 'host' as const };
  let committed: FloorChange[];
  let failing: boolean;
  let stored: Floor;

  beforeEach(() => {
    committed = [];
    failing = false;
    const commit = (change: FloorChange): void => {
      if (failing) throw new Error('disk full');
      committed.push(change);
    };
    stored = new Floor({ defaultSeconds: 120, now: () => Date.now(), logger, commit });
  });

  afterEach(() => stored.close());

  it('commits each change with its log entry, its actor and the floor it leads to, before anyone hears of it', () => {
    const heard: string[] = [];
    stored.on('changed', (view) => heard.push(`${committed.length}:${view.pointId ?? 'centre'}`));
    stored.request('bien-hoa', 'xin', { pointId: 'bien-hoa', role: 'technician' });
    stored.grant('bien-hoa', 60, HOST);
    stored.extend(30, HOST);
    stored.revoke(HOST);
    expect(committed.map(({ action, detail, actor }) => [action, detail, actor?.pointId ?? null])).toEqual([
      ['floor.request', { note: 'xin' }, 'bien-hoa'],
      ['floor.grant', { pointId: 'bien-hoa', seconds: 60 }, 'tinh-dong-nai'],
      ['floor.extend', { pointId: 'bien-hoa', seconds: 30 }, 'tinh-dong-nai'],
      ['floor.revoke', { pointId: 'bien-hoa' }, 'tinh-dong-nai'],
    ]);
    expect(committed[2]?.view).toMatchObject({ pointId: 'bien-hoa', endsAt: Date.now() + 90_000, queue: [] });
    expect(heard).toEqual(['1:centre', '2:bien-hoa', '3:bien-hoa', '4:centre']);
  });

  it('a change whose commit throws leaves the floor, its queue and its timer as they were, and nobody hears of it', () => {
    stored.request('bien-hoa', '');
    stored.request('long-khanh', '');
    stored.grant('xuan-loc', 60);
    const before = stored.view();
    const heard: string[] = [];
    stored.on('changed', (_view, cause) => heard.push(cause));
    failing = true;
    expect(() => stored.grant('bien-hoa', 600)).toThrow('disk full');
    expect(() => stored.extend(600)).toThrow('disk full');
    expect(() => stored.reorder('long-khanh', 0)).toThrow('disk full');
    expect(() => stored.drop('bien-hoa')).toThrow('disk full');
    expect(() => stored.revoke()).toThrow('disk full');
    expect(() => stored.request('cam-my', '')).toThrow('disk full');
    expect(stored.view()).toEqual(before);
    expect(heard).toEqual([]);
    // The timer of the grant that stands still runs out at its own time, once it can be stored.
    failing = false;
    vi.advanceTimersByTime(59_999);
    expect(stored.holder).toBe('xuan-loc');
    vi.advanceTimersByTime(1);
    expect(stored.holder).toBeNull();
    expect(committed.at(-1)).toMatchObject({ action: 'floor.expire', detail: { pointId: 'xuan-loc' }, actor: null });
  });

  it('an expiry that cannot be stored keeps the speaker and is tried again', () => {
    stored.grant('tan-phu', 10);
    failing = true;
    vi.advanceTimersByTime(10_000);
    expect(stored.holder).toBe('tan-phu');
    failing = false;
    vi.advanceTimersByTime(1_000);
    expect(stored.holder).toBeNull();
    expect(committed.map((c) => c.action)).toEqual(['floor.grant', 'floor.expire']);
  });

  it('a stored grant that ran out while the hub was down returns to the centre as a stored expiry', () => {
    const now = Date.now();
    const queue = [{ pointId: 'bien-hoa', note: '', requestedAt: now - 5_000 }];
    stored.restore({ pointId: 'cam-my', since: now - 120_000, endsAt: now - 1_000, queue });
    expect(stored.view()).toMatchObject({ pointId: null, since: now, queue: [{ pointId: 'bien-hoa' }] });
    expect(committed).toMatchObject([{ action: 'floor.expire', detail: { pointId: 'cam-my' }, actor: null }]);
    stored.restore({ pointId: 'cam-my', since: now - 1_000, endsAt: now + 20_000, queue: [] });
    expect(stored.holder).toBe('cam-my');
    vi.advanceTimersByTime(20_000);
    expect(stored.holder).toBeNull();
  });
});
