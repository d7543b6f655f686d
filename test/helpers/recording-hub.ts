// A hub that runs its recorder process, with points publishing real VP8/Opus from ffmpeg, for the recording's
// end-to-end tests: join a point (it publishes at once), the host's view of the recording, and a wait for it.
import type { RecordingView } from '../../shared/recording.ts';
import type { Hub } from '../../server/hub.ts';
import { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { startHub } from './test-hub.ts';
import { sleep } from './wait.ts';

export const CONF = 'dong-nai-tap-huan-bau-cu';
export const CENTRE = 'tinh-dong-nai';
export const DISTRICT = 'bien-hoa';

export class RecordingHub {
  readonly hub: Hub;
  readonly url: string;
  readonly points: HeadlessPoint[] = [];
  #host: HeadlessPoint | undefined;

  private constructor(hub: Hub, url: string) {
    this.hub = hub;
    this.url = url;
  }

  static async start(env: Record<string, string> = {}): Promise<RecordingHub> {
    const { hub, url } = await startHub({ DIEMCAU_RECORDING: '1', ...env });
    return new RecordingHub(hub, url);
  }

  /** The host's point (the first joined as host). */
  get host(): HeadlessPoint {
    if (!this.#host) throw new Error('no host has joined');
    return this.#host;
  }

  /** Joins `pointId` in `role` and publishes a test picture of `size` and a tone. */
  async join(pointId: string, role: 'host' | 'technician', size: { width: number; height: number }): Promise<HeadlessPoint> {
    const { token } = await this.hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600);
    const point = await HeadlessPoint.join(this.url, token, { label: `${pointId}/${role}`, maxSendMs: 120_000 });
    this.points.push(point);
    if (role === 'host') this.#host ??= point;
    await point.publish({ audio: true, video: true, media: 'ffmpeg', ...size, fps: 25 });
    return point;
  }

  view(): Promise<RecordingView> {
    return this.host.call('recording.view', {});
  }

  /** Polls the host's view until `ok`; the error says what it waited for, the last view and `detail()`. */
  async waitForView(
    what: string,
    ok: (v: RecordingView) => boolean,
    timeoutMs = 20_000,
    detail = (): string => '',
  ): Promise<RecordingView> {
    let last: RecordingView | undefined;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      last = await this.view();
      if (ok(last)) return last;
      await sleep(150);
    }
    throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}\n${detail()}`);
  }

  async close(): Promise<void> {
    for (const p of this.points) await p.close();
    await this.hub.close('test over');
  }
}
