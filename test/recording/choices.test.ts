// The host's recording choices through the protocol and across a restart of the hub (no recorder process
// here: DIEMCAU_RECORDING is off in test hubs unless asked): the recording starts by itself when the conference
// goes live, pushes and the press link are kept with their keys hidden, a recording that was on goes on in a
// new part after the hub comes back, and the moderators see it all; everyone else is refused.
import { afterAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../server/hub.ts';
import { RecordStore } from '../../server/store/records.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { connect, type HubClient } from '../../scripts/lib/hub-client.ts';
import { startHub } from '../helpers/test-hub.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const dataDir = tempDataDir();
const clients: HubClient[] = [];
let hub: Hub | undefined;

async function open(): Promise<{ hub: Hub; host: HubClient }> {
  const started = await startHub({ DIEMCAU_DATA_DIR: dataDir });
  hub = started.hub;
  const { token } = await started.hub.credentials.issue({ conferenceId: CONF, pointId: CENTRE, role: 'host' }, 600);
  const host = await connect(started.url, { token });
  clients.push(host);
  return { hub: started.hub, host };
}

afterAll(async () => {
  for (const c of clients) c.close();
  await hub?.close('test over');
});

describe('the recording’s choices', () => {
  it('starts with the conference, keeps pushes and the press link, and goes on in a new part after a restart', async () => {
    let { hub: first, host } = await open();
    await host.call('recording.setAutoStart', { enabled: true });
    const key = 'khoa-bi-mat-cua-dai';
    await host.call('recording.addOutput', { url: `rtmp://127.0.0.1:1935/live/${key}`, label: 'Đài PT-TH Đồng Nai' });
    const pressed = await host.call('recording.setPress', { enabled: true });
    expect(pressed.press.key).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(pressed.recording).toBe(false);

    await host.call('conference.setStatus', { status: 'live' });
    // The start follows the status change (after the disk is checked).
    let live = await host.call('recording.view', {});
    for (let i = 0; i < 50 && !live.recording; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      live = await host.call('recording.view', {});
    }
    expect(live).toMatchObject({ recording: true, autoStart: true, segment: 1 });
    expect(live.files.filter((f) => f.kind === 'programme' && f.open)).toHaveLength(1);
    expect(live.outputs).toEqual([expect.objectContaining({ label: 'Đài PT-TH Đồng Nai', url: 'rtmp://127.0.0.1:1935/live/••••' })]);
    expect(JSON.stringify(live)).not.toContain(key);
    const log = JSON.stringify(new RecordStore(first.db).events(CONF).filter((e) => e.action.startsWith('recording.')));
    expect(log).not.toContain(key);
    expect(log).toContain('"cause":"start"');

    await first.close('restart');
    ({ hub: first, host } = await open());
    const back = await host.call('recording.view', {});
    // The part left open by the hub that stopped is closed; the recording goes on in the next one.
    expect(back).toMatchObject({ recording: true, autoStart: true, segment: 2, press: { enabled: true, key: pressed.press.key } });
    expect(back.files.filter((f) => f.kind === 'programme').map((f) => [f.segment, f.open])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(back.outputs).toHaveLength(1);
    expect(JSON.stringify(new RecordStore(first.db).events(CONF))).toContain('"cause":"restart"');
  });

  it('is for the moderators to see and the host to change', async () => {
    const h = hub as Hub;
    const { token } = await h.credentials.issue({ conferenceId: CONF, pointId: 'bien-hoa', role: 'technician' }, 600);
    const address = h.httpServer.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const tech = await connect(`http://127.0.0.1:${port}`, { token });
    clients.push(tech);
    await expect(tech.call('recording.view', {})).rejects.toMatchObject({ code: 'forbidden', reason: 'request.role' });
    await expect(tech.call('recording.start', {})).rejects.toMatchObject({ code: 'forbidden', reason: 'request.role' });
  });
});
