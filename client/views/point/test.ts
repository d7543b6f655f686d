// The point's connection test: signalling round trip (echoes), what goes up and comes down over the
// media transports (rate, loss, jitter, round trip from WebRTC statistics) and the microphone level,
// measured over a few seconds and reported to the hub, which answers with the readiness verdict.
import type { ReadinessMeasurement, ReadinessView } from '../../../shared/records.ts';
import type { AppContext } from '../../app.ts';
import { onLanguage, t, type Key } from '../../i18n.ts';
import { describeError, linkText, readinessText } from '../../i18n/describe.ts';
import { between, totals, type LinkSample } from '../../net/stats.ts';
import { button, h, type Child } from '../../ui/dom.ts';
import type { MicMeter } from '../../ui/meter.ts';

const WINDOW_MS = 4000;
const ZERO: LinkSample = { bitrateKbps: 0, lossPercent: 0, jitterMs: 0, roundTripMs: 0 };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Rounded and clamped to what the protocol accepts. */
function clean(sample: LinkSample): LinkSample {
  const r = (v: number, max: number): number => Math.min(max, Math.max(0, Math.round(v * 10) / 10));
  return {
    bitrateKbps: r(sample.bitrateKbps, 1_000_000),
    lossPercent: r(sample.lossPercent, 100),
    jitterMs: r(sample.jitterMs, 60_000),
    roundTripMs: r(sample.roundTripMs, 60_000),
  };
}

export class ConnectionTest {
  readonly el: HTMLElement;
  readonly #ctx: AppContext;
  readonly #meter: MicMeter;
  readonly #run: HTMLButtonElement;
  readonly #state = h('p', { class: 'test-state', attrs: { role: 'status', 'aria-live': 'polite' } });
  readonly #results = h('dl', { class: 'test-results' });
  #measured: ReadinessMeasurement | null = null;

  constructor(ctx: AppContext, meter: MicMeter) {
    this.#ctx = ctx;
    this.#meter = meter;
    this.#run = button('test.run', () => void this.run(), { class: 'primary', data: { action: 'test' } });
    this.el = h('section', { class: 'connection-test', label: 'tab.test' }, this.#run, this.#state, this.#results);
    for (const event of ['welcome', 'readiness'] as const) ctx.store.on(event, () => this.render());
    onLanguage(() => this.render());
  }

  async run(): Promise<void> {
    const { signal, media } = this.#ctx;
    this.#run.disabled = true;
    this.#state.textContent = t('test.running');
    try {
      const rtts: number[] = [];
      for (let i = 0; i < 5; i++) {
        const sentAt = Date.now();
        await signal.request('readiness.ping', { sentAt });
        rtts.push(Date.now() - sentAt);
      }
      const send = media.sendTransport;
      const recv = media.recvTransport;
      const send0 = send ? totals(await send.getStats(), 'out') : undefined;
      const recv0 = recv ? totals(await recv.getStats(), 'in') : undefined;
      let mic = -127;
      const end = Date.now() + WINDOW_MS;
      while (Date.now() < end) {
        await sleep(200);
        mic = Math.max(mic, this.#meter.level);
      }
      const sent = send && send0 ? between(send0, totals(await send.getStats(), 'out')) : ZERO;
      const received = recv && recv0 ? between(recv0, totals(await recv.getStats(), 'in')) : ZERO;
      this.#measured = {
        signallingRoundTripMs: Math.round(median(rtts)),
        send: clean(sent),
        receive: clean(received),
        microphoneLevelDb: Math.round(Math.min(0, Math.max(-127, mic))),
      };
      this.#state.textContent = '';
      this.render();
      const view = await signal.request('readiness.report', this.#measured);
      this.#ctx.store.applyReadiness(view);
    } catch (error) {
      console.error('connection test failed', error);
      this.#state.textContent = t('test.failed', { message: describeError(error) });
    } finally {
      this.#run.disabled = false;
    }
  }

  render(): void {
    const { store } = this.#ctx;
    const verdict: ReadinessView | undefined = store.readiness.get(store.self?.pointId ?? '');
    const m = this.#measured ?? verdict?.measurement ?? null;
    const row = (key: Key, value: Child): HTMLElement[] => [h('dt', {}, t(key)), h('dd', {}, value)];
    const rows: HTMLElement[] = [];
    if (verdict) {
      rows.push(...row('ready.title', t(`ready.${verdict.state}`)));
      const reasons = verdict.reasons.map((r) => h('li', { data: { reason: r.code } }, readinessText(r)));
      if (reasons.length) rows.push(...row('test.reasons', h('ul', { class: 'ready-reasons' }, ...reasons)));
    }
    if (m) {
      rows.push(
        ...row('test.signalling', `${m.signallingRoundTripMs} ms`),
        ...row('test.send', linkText(m.send)),
        ...row('test.receive', linkText(m.receive)),
        ...row('test.mic', `${m.microphoneLevelDb} dB`),
      );
    }
    if (verdict?.server) rows.push(...row('test.server', serverText(verdict.server)));
    this.#results.replaceChildren(...rows);
    this.#results.dataset['state'] = verdict?.state ?? '';
  }
}

function serverText(server: NonNullable<ReadinessView['server']>): string {
  const rtt = server.roundTripMs !== null ? ` · ${Math.round(server.roundTripMs)} ms` : '';
  return `↑ ${Math.round(server.receiveBitrateKbps)} kbit/s · ↓ ${Math.round(server.sendBitrateKbps)} kbit/s${rtt}`;
}
