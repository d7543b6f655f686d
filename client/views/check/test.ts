// The connection test, for a point and for the centre alike: signalling round trip (echoes), what goes up
// and comes down over the media transports (rate, loss, jitter, round trip from WebRTC statistics) and the
// microphone level, measured over a few seconds and reported to the hub, which answers with its verdict.
// Shown as each figure against its limit, every reason with what to do about it, and when it last ran.
import type { ReadinessMeasurement, ReadinessView } from '../../../shared/records.ts';
import type { AppContext } from '../../app.ts';
import { onLanguage, t, timeOfDay } from '../../i18n.ts';
import { describeError, readinessText } from '../../i18n/describe.ts';
import { between, totals, type LinkSample } from '../../net/stats.ts';
import { button, h, tr } from '../../ui/dom.ts';
import type { MicMeter } from '../../ui/meter.ts';
import { advice, adviceCodes, figureRows } from './figures.ts';

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
  readonly #results = h('div', { class: 'test-results' });
  /** Figures measured here and not yet judged by the hub. */
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
      this.#measured = null;
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
    const judged = this.#measured === null ? (verdict ?? null) : null;
    const m = this.#measured ?? verdict?.measurement ?? null;
    const state = verdict?.state ?? 'not_tested';
    const summary = h(
      'dl',
      { class: 'test-summary' },
      h('dt', {}, tr('check.result')),
      h('dd', {}, h('span', { class: 'badge ready', data: { state } }, t(`ready.${state}`))),
      h('dt', {}, tr('check.lastTest')),
      h('dd', { class: 'tested-at' }, verdict?.testedAt ? timeOfDay(verdict.testedAt) : t('check.never')),
    );
    const parts: HTMLElement[] = [summary];
    const reasons = verdict?.reasons ?? [];
    if (reasons.length) {
      const items = reasons.map((r) => h('li', { data: { reason: r.code } }, readinessText(r)));
      const tips = adviceCodes(reasons).map((code) => h('li', { class: 'advice', data: { advice: code } }, advice(code)));
      parts.push(
        h('div', { class: 'test-reasons' }, tr('test.reasons', 'h3'), h('ul', { class: 'ready-reasons' }, ...items)),
        h('div', { class: 'test-advice' }, tr('check.whatToDo', 'h3'), h('ul', { class: 'advice-list' }, ...tips)),
      );
    }
    if (m) parts.push(this.#figures(m, judged));
    if (verdict?.server && judged) {
      parts.push(h('p', { class: 'muted server-view' }, `${t('test.server')}: ${serverText(verdict.server)}`));
    }
    this.#results.replaceChildren(...parts);
    this.#results.dataset['state'] = verdict?.state ?? '';
  }

  #figures(m: ReadinessMeasurement, judged: ReadinessView | null): HTMLElement {
    const head = h(
      'tr',
      {},
      ...(['check.figure', 'check.measured', 'check.limit', 'check.result'] as const).map((k) =>
        h('th', { attrs: { scope: 'col' } }, tr(k)),
      ),
    );
    const rows = figureRows(m, judged ? judged.reasons : null).map((row) =>
      h(
        'tr',
        { data: { figure: row.direction ? `${row.code}-${row.direction}` : row.code, ok: row.ok === null ? '' : String(row.ok) } },
        h('th', { attrs: { scope: 'row' } }, row.name),
        h('td', { class: 'num' }, row.value),
        h('td', { class: 'muted' }, row.limit),
        h('td', {}, row.ok === null ? '' : row.ok ? `✓ ${t('check.pass')}` : `✗ ${t('check.fail')}`),
      ),
    );
    return h('table', { class: 'test-figures' }, h('thead', {}, head), h('tbody', {}, ...rows));
  }
}

function serverText(server: NonNullable<ReadinessView['server']>): string {
  const rtt = server.roundTripMs !== null ? ` · ${Math.round(server.roundTripMs)} ms` : '';
  return `↑ ${Math.round(server.receiveBitrateKbps)} kbit/s · ↓ ${Math.round(server.sendBitrateKbps)} kbit/s${rtt}`;
}
