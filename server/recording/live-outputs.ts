// The live pushes of one conference's programme (RTMP/RTMPS: a TV station, a streaming platform): the host's
// list with the full addresses (stream keys are secrets: never shown again, never logged), switched on and
// off, and the state the recorder reports for each (connecting, live, retrying with its attempt and error).
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../shared/event-log.ts';
import { type LiveOutputView, maskLiveOutputUrl, type RecorderConfig, type RecorderReport } from '../../shared/recording.ts';
import { LIMITS } from '../../shared/rules.ts';
import { refuse } from '../errors.ts';
import type { RecordingStore, StoredOutput } from '../store/recording.ts';
import type { RecordStore } from '../store/records.ts';

type Runtime = Pick<LiveOutputView, 'state' | 'attempt' | 'error' | 'since'>;

export class LiveOutputs {
  readonly #conferenceId: string;
  readonly #store: RecordingStore;
  readonly #log: RecordStore;
  #outputs: StoredOutput[];
  readonly #runtime = new Map<string, Runtime>();

  constructor(conferenceId: string, store: RecordingStore, log: RecordStore) {
    this.#conferenceId = conferenceId;
    this.#store = store;
    this.#log = log;
    this.#outputs = store.outputs(conferenceId);
  }

  anyEnabled(): boolean {
    return this.#outputs.some((o) => o.enabled);
  }

  add(actor: Actor, url: string, label: string, enabled: boolean): void {
    if (this.#outputs.length >= LIMITS.liveOutputsMax) {
      throw refuse('recording.outputs_full', { max: LIMITS.liveOutputsMax }, `at most ${LIMITS.liveOutputsMax} live outputs`);
    }
    if (this.#outputs.some((o) => o.url === url)) throw refuse('recording.output_duplicate', {}, 'this address is in the list already');
    const output: StoredOutput = { id: randomUUID(), label, url, enabled, createdAt: Date.now() };
    this.#store.transaction(() => {
      this.#store.addOutput(this.#conferenceId, output);
      this.#log.log(this.#conferenceId, actor, 'recording.output_add', { outputId: output.id, label, host: new URL(url).host });
    });
    this.#outputs = [...this.#outputs, output];
  }

  set(actor: Actor, outputId: string, enabled: boolean): void {
    this.#get(outputId);
    this.#store.transaction(() => {
      this.#store.setOutput(outputId, enabled);
      this.#log.log(this.#conferenceId, actor, 'recording.output_set', { outputId, enabled });
    });
    this.#outputs = this.#outputs.map((o) => (o.id === outputId ? { ...o, enabled } : o));
  }

  remove(actor: Actor, outputId: string): void {
    this.#get(outputId);
    this.#store.transaction(() => {
      this.#store.removeOutput(outputId);
      this.#log.log(this.#conferenceId, actor, 'recording.output_remove', { outputId });
    });
    this.#outputs = this.#outputs.filter((o) => o.id !== outputId);
    this.#runtime.delete(outputId);
  }

  /** The recorder's report of its pushes; true when a state changed. */
  reported(outputs: RecorderReport['outputs']): boolean {
    let changed = false;
    for (const o of outputs) {
      if (!this.#outputs.some((x) => x.id === o.id)) continue;
      const was = this.#runtime.get(o.id);
      changed ||= was?.state !== o.state;
      this.#runtime.set(o.id, {
        state: o.state,
        attempt: o.attempt,
        error: o.error,
        since: was?.state === o.state ? was.since : Date.now(),
      });
    }
    return changed;
  }

  /** The recorder is gone: no push runs. */
  clear(): void {
    this.#runtime.clear();
  }

  config(): RecorderConfig['outputs'] {
    return this.#outputs.map((o) => ({ id: o.id, url: o.url, enabled: o.enabled }));
  }

  view(): LiveOutputView[] {
    return this.#outputs.map((o) => {
      const r = this.#runtime.get(o.id);
      const state = o.enabled ? (r?.state ?? 'connecting') : 'off';
      const runtime = { attempt: r?.attempt ?? 0, error: r?.error ?? null, since: r?.since ?? null };
      return { id: o.id, label: o.label, url: maskLiveOutputUrl(o.url), enabled: o.enabled, state, ...runtime };
    });
  }

  #get(outputId: string): StoredOutput {
    const output = this.#outputs.find((o) => o.id === outputId);
    if (!output) throw refuse('recording.output_unknown', { outputId }, `no live output ${outputId}`);
    return output;
  }
}
