// The vision switcher of the programme: takes each scene (what the halls' screens show now) to the relay and
// the mixer so that a cut shows no black and no stale layout. Like an A/B bus: the relay's two video streams
// are the buses, the mixer's swap says which one is the main picture. A picture already on a bus stays there
// (it only changes place on screen, at once); a new picture goes to the bus not needed, and the mixer changes
// the layout, the swap and the texts only once the relay has cut that bus over at the new picture's key
// frame; the old picture stays on screen meanwhile. Sound follows at once.
import type { Logger } from 'pino';
import type { ProgrammeMixer } from './mixer.ts';
import type { StageRelay, VideoOutput } from './relay.ts';
import type { Scene } from './scene.ts';

/** How often a pending cut is checked, and how long the old picture may stay before the layout changes anyway. */
const POLL_MS = 40;
const WAIT_AT_MOST_MS = 1500;
const RELEASE_AFTER_MS = 500;
const TEXTS_AFTER_MS = 150;

const other = (o: VideoOutput): VideoOutput => (o === 'main' ? 'second' : 'main');

export class ProgrammeSwitcher {
  readonly #relay: StageRelay;
  readonly #mixer: ProgrammeMixer;
  readonly #log: Logger;
  /** What each bus was last asked to carry. */
  readonly #routes: Record<VideoOutput, string | null> = { main: null, second: null };
  #shown: Scene | undefined;
  #textsOnAir = '';
  #generation = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(relay: StageRelay, mixer: ProgrammeMixer, log: Logger) {
    this.#relay = relay;
    this.#mixer = mixer;
    this.#log = log;
  }

  show(scene: Scene): void {
    const was = this.#shown;
    this.#relay.routeAudio('centre', scene.centreAudio);
    this.#relay.routeAudio('floor', scene.floorAudio);
    if (was?.gains.centre !== scene.gains.centre) this.#mixer.setGain('centre', scene.gains.centre);
    if (was?.gains.floor !== scene.gains.floor) this.#mixer.setGain('floor', scene.gains.floor);
    const mainBus = this.#busFor(scene.main, scene.second);
    const routes = { [mainBus]: scene.main, [other(mainBus)]: scene.second } as Record<VideoOutput, string | null>;
    // New pictures go on their bus now (the relay keeps the old one until the new key frame); a bus that is to
    // carry nothing keeps its picture until the layout has changed.
    for (const bus of ['main', 'second'] as const) {
      if (routes[bus] !== null && routes[bus] !== this.#routes[bus]) {
        this.#relay.route(bus, routes[bus]);
        this.#routes[bus] = routes[bus];
      }
    }
    const generation = ++this.#generation;
    clearTimeout(this.#timer);
    const deadline = Date.now() + WAIT_AT_MOST_MS;
    const settle = (): void => {
      if (generation !== this.#generation) return;
      if (!this.#ready(routes) && Date.now() < deadline) {
        this.#timer = setTimeout(settle, POLL_MS);
        return;
      }
      this.#apply(scene, mainBus === 'second', routes);
    };
    settle();
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#generation++;
  }

  /** The bus for the main picture: where it is already, else where the second one is not. */
  #busFor(main: string | null, second: string | null): VideoOutput {
    const r = this.#routes;
    if (main !== null && r.second === main) return 'second';
    if (main !== null && r.main === main) return 'main';
    if (second !== null && r.main === second) return 'second';
    if (second !== null && r.second === second) return 'main';
    return this.#mixer.swapped ? 'second' : 'main';
  }

  #ready(routes: Record<VideoOutput, string | null>): boolean {
    const video = this.#relay.stats().video;
    return (['main', 'second'] as const).every(
      (bus) => routes[bus] === null || (video[bus].source === routes[bus] && video[bus].pending === null),
    );
  }

  #apply(scene: Scene, swapped: boolean, routes: Record<VideoOutput, string | null>): void {
    const was = this.#shown;
    this.#shown = scene;
    this.#mixer.setSwap(swapped);
    this.#mixer.setComposition(scene.composition);
    // The texts are files ffmpeg reads again every 0.2 s, the layout a command that waits for its turn: the
    // texts follow a little later, so a name never shows over the previous picture.
    const generation = this.#generation;
    setTimeout(() => {
      const texts = JSON.stringify(scene.texts);
      if (generation !== this.#generation || texts === this.#textsOnAir) return;
      this.#textsOnAir = texts;
      this.#mixer.setTexts(scene.texts);
    }, TEXTS_AFTER_MS);
    // A bus no longer needed lets go of its picture once the mixer has the new layout (its commands go one per
    // 110 ms), so the old layout never shows it dark.
    setTimeout(() => {
      if (generation !== this.#generation) return;
      for (const bus of ['main', 'second'] as const) {
        if (routes[bus] === null && this.#routes[bus] !== null) {
          this.#relay.route(bus, null);
          this.#routes[bus] = null;
        }
      }
    }, RELEASE_AFTER_MS);
    if (was?.composition !== scene.composition || was?.main !== scene.main || was?.second !== scene.second) {
      this.#log.info({ composition: scene.composition, main: scene.main, second: scene.second, swapped }, 'scene on air');
    }
  }
}
