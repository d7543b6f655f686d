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
    [{ DIEMCAU_TURN_URLS: 'stun:127.0.0.1:3478' }, 'turn.urls'],
    [{ DIEMCAU_TURN_URLS: 'turn:127.0.0.1:3478' }, 'turn.secret'],
  ])('rejects %o naming %s', (env, key) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(key);
  });

  it('reads TURN servers as a comma list and derives coturn credentials per point', async () => {
    const { createHmac } = await import('node:crypto');
    const { iceSettingsFor } = await import('../server/auth/turn.ts');
    const config = loadConfig({
      DIEMCAU_TURN_URLS: 'turn:a.example:3478?transport=udp, turns:a.example:5349',
      DIEMCAU_TURN_SECRET: 'x'.repeat(16),
    });
    expect(config.turn.urls).toEqual(['turn:a.example:3478?transport=udp', 'turns:a.example:5349']);
    const ice = iceSettingsFor(config.turn, 'xuan-loc', 1_000_000);
    const server = ice.iceServers?.[0];
    expect(server?.username).toBe(`${1000 + 86_400}:xuan-loc`);
    expect(server?.credential).toBe(
      createHmac('sha1', 'x'.repeat(16))
        .update(server?.username ?? '')
        .digest('base64'),
    );
    expect(ice.iceTransportPolicy).toBe('all');
    expect(iceSettingsFor(loadConfig({}).turn, 'xuan-loc')).toEqual({});
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
