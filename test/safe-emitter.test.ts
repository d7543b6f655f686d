// The typed emitter the domain reports through: a listener that throws, or whose promise rejects, is
// logged, and neither the code that emitted nor the other listeners notice.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SafeEmitter } from '../server/safe-emitter.ts';

interface Events {
  changed: [value: number, cause: string];
}

function recordingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'error' }, sink), lines };
}

describe('SafeEmitter', () => {
  it('a throwing listener is logged; the caller goes on and the other listeners still run', async () => {
    const { logger, lines } = recordingLogger();
    const emitter = new SafeEmitter<Events>(logger);
    const heard: string[] = [];
    emitter.on('changed', (value, cause) => heard.push(`first ${value} ${cause}`));
    emitter.on('changed', () => {
      throw new Error('listener broke');
    });
    emitter.on('changed', async () => {
      await Promise.resolve();
      throw new Error('async listener broke');
    });
    emitter.once('changed', (value) => heard.push(`once ${value}`));
    emitter.on('changed', (value) => heard.push(`last ${value}`));

    // Neither emit throws: the test goes on to the next line.
    expect(emitter.emit('changed', 1, 'grant')).toBe(true);
    expect(emitter.emit('changed', 2, 'revoke')).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));

    expect(heard).toEqual(['first 1 grant', 'once 1', 'last 1', 'first 2 revoke', 'last 2']);
    const failures = lines.filter((l) => l.msg === 'event listener failed');
    expect(failures.map((l) => [(l.err as { message: string }).message, l.event])).toEqual([
      ['listener broke', 'changed'],
      ['listener broke', 'changed'],
      ['async listener broke', 'changed'],
      ['async listener broke', 'changed'],
    ]);
  });

  it('says whether anyone listened', () => {
    const emitter = new SafeEmitter<Events>(recordingLogger().logger);
    expect(emitter.emit('changed', 1, 'x')).toBe(false);
    emitter.on('changed', () => undefined);
    expect(emitter.emit('changed', 1, 'x')).toBe(true);
  });
});
