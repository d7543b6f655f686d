// The floor as pure domain logic, on vitest's fake clock: queue order, grants, timer, warning, errors.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Floor } from '../../server/conference/floor.ts';
import { HubError } from '../../server/errors.ts';

let floor: Floor;
const changes: string[] = [];
const warnings: Array<{ pointId: string; secondsLeft: number }> = [];

beforeEach(() => {
  vi.useFakeTimers();
  floor = new Floor({ defaultSeconds: 120, now: () => Date.now() });
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
