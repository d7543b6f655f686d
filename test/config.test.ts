import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.ts';

describe('configuration', () => {
  it('loads the embedded defaults with auto values resolved', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.media.workers).toBeGreaterThanOrEqual(1);
    expect(config.media.announcedAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('takes environment variables over the defaults', () => {
    const config = loadConfig({ DIEMCAU_PORT: '9000', DIEMCAU_WORKERS: '3', DIEMCAU_LISTEN_IP: '127.0.0.1' });
    expect(config).toMatchObject({ port: 9000, media: { workers: 3, listenIp: '127.0.0.1', announcedAddress: undefined } });
  });

  it.each([
    [{ DIEMCAU_PORT: '70000' }, 'port (from DIEMCAU_PORT)'],
    [{ DIEMCAU_WORKERS: 'many' }, 'media.workers (from DIEMCAU_WORKERS)'],
    [{ DIEMCAU_LOG_LEVEL: 'loud' }, 'logLevel (from DIEMCAU_LOG_LEVEL)'],
    [{ DIEMCAU_LISTEN_IP: 'localhost' }, 'media.listenIp (from DIEMCAU_LISTEN_IP)'],
    [{ DIEMCAU_RTC_MIN_PORT: '45000', DIEMCAU_RTC_MAX_PORT: '44000' }, 'media.rtcMaxPort'],
  ])('rejects %o naming %s', (env, key) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(key);
  });

  it('rejects a configuration file with unknown keys', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'diemcau-')), 'hub.json');
    writeFileSync(file, JSON.stringify({ port: 8081, prot: 1 }));
    expect(() => loadConfig({ DIEMCAU_CONFIG: file })).toThrow(/unrecognized key/i);
    writeFileSync(file, JSON.stringify({ port: 8081 }));
    expect(loadConfig({ DIEMCAU_CONFIG: file }).port).toBe(8081);
  });
});
