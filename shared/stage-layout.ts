// What the stage shows, decided once for the room display and the host's stage preview alike: from the
// layout the host chose, the conference's status, who holds the floor, the name card and which pictures
// exist now, which picture is main, which one is second (beside it, inset over it, or the other half), and
// whether the banner covers it all (with the host's message). Pure: no DOM, no timers, unit-tested.
//
// Fallbacks, so that a hall never looks at an empty stage for want of a picture:
//   centre only   without the centre's camera            → automatic
//   speaker only  with nobody on the floor (or no picture) → the centre
//   slides        with nothing shared                     → automatic
//   side by side  with fewer than two pictures            → automatic
//   automatic     with no picture at all                  → the banner
// Before the start only 'auto' shows the banner (an explicit layout is the host's deliberate choice, e.g. the
// centre's welcome before the opening); after the end everything is the banner.
import type { ConferenceStatus } from './domain.ts';
import type { Layout } from './programme.ts';

/** A picture the stage can show: the centre's camera, the speaker's camera, its name card, the shared screen. */
export type Picture = 'centre' | 'speaker' | 'card' | 'slides';

/**
 * How two pictures share the screen: one alone ('single'), the second in a narrow column beside the main one
 * ('beside'), the second small over a corner of the main one ('inset'), two equal halves ('split').
 */
export type Arrangement = 'single' | 'beside' | 'inset' | 'split';

/** Why the banner covers the stage: the host chose it, not started yet, over, or nothing to show. */
export type BannerReason = 'layout' | 'before_start' | 'ended' | 'no_picture';

export interface LayoutInput {
  layout: Layout;
  status: ConferenceStatus;
  /** The point holding the floor, null when the floor is at the centre. */
  holder: string | null;
  /** The host turned the speaker's video off: its name card stands for its picture. */
  nameCard: boolean;
  /** Which pictures exist now: the centre's camera, the speaker's camera, a shared screen. */
  centre: boolean;
  speaker: boolean;
  slides: boolean;
  /** The host's banner message. */
  message: string;
}

export interface LayoutDecision {
  /** The layout the host chose. */
  layout: Layout;
  /** What is shown after the fallbacks: never 'auto'. */
  shown: Exclude<Layout, 'auto'>;
  banner: BannerReason | null;
  /** The message under the banner ('' for none; only in the banner layout). */
  message: string;
  main: Picture | null;
  second: Picture | null;
  arrangement: Arrangement;
  /** Whether the speaker (its camera or its card) is on screen. */
  speakerShown: boolean;
  /**
   * Whether the lower third may name the speaker: a point holds the floor, no banner, and the host did not
   * choose the centre only (while the speaker's picture is on its way the centre stands in, named as before).
   */
  lowerThird: boolean;
}

const ON_AIR: ReadonlySet<ConferenceStatus> = new Set(['live', 'rehearsal']);

const NOTHING: Omit<LayoutDecision, 'layout'> = {
  shown: 'banner',
  banner: 'no_picture',
  message: '',
  main: null,
  second: null,
  arrangement: 'single',
  speakerShown: false,
  lowerThird: false,
};

/** The banner over the stage; `under` is what the stage holds beneath it, ready for the moment it lifts. */
function covered(input: LayoutInput, reason: BannerReason, under: LayoutDecision | null): LayoutDecision {
  return {
    ...(under ?? NOTHING),
    layout: input.layout,
    shown: 'banner',
    banner: reason,
    message: reason === 'layout' ? input.message.trim() : '',
    speakerShown: false,
    lowerThird: false,
  };
}

function pictures(
  input: LayoutInput,
  shown: LayoutDecision['shown'],
  main: Picture,
  second: Picture | null,
  arrangement: Arrangement,
): LayoutDecision {
  const speakerShown = [main, second].some((p) => p === 'speaker' || p === 'card');
  return {
    layout: input.layout,
    shown,
    banner: null,
    message: '',
    main,
    second,
    arrangement: second ? arrangement : 'single',
    speakerShown,
    lowerThird: input.holder !== null && (speakerShown || input.layout !== 'centre'),
  };
}

/** The speaker's picture: its name card while the host has its video off, its camera when it has arrived. */
export function speakerPicture(input: Pick<LayoutInput, 'holder' | 'nameCard' | 'speaker'>): Picture | null {
  if (input.holder === null) return null;
  if (input.nameCard) return 'card';
  return input.speaker ? 'speaker' : null;
}

/** The automatic layout on air: slides with the speaker inset, the speaker with the centre beside, the centre, or the banner. */
function automatic(input: LayoutInput): LayoutDecision {
  const speaker = speakerPicture(input);
  const centre = input.centre ? 'centre' : null;
  if (input.slides) return pictures(input, 'slides', 'slides', speaker ?? centre, 'inset');
  if (speaker) return pictures(input, 'speaker', speaker, centre, 'beside');
  if (centre) return pictures(input, 'centre', centre, null, 'single');
  return { ...NOTHING, layout: input.layout };
}

/** The automatic layout: the banner before the start (with the pictures ready beneath it), on air as above. */
function auto(input: LayoutInput): LayoutDecision {
  return ON_AIR.has(input.status) ? automatic(input) : covered(input, 'before_start', automatic(input));
}

/** One of the layouts that hold pictures, with its fallbacks. */
function chosen(input: LayoutInput, layout: Exclude<Layout, 'banner'>): LayoutDecision {
  const speaker = speakerPicture(input);
  const centre = input.centre ? 'centre' : null;
  switch (layout) {
    case 'centre':
      return centre ? pictures(input, 'centre', centre, null, 'single') : auto(input);
    case 'speaker':
      if (speaker) return pictures(input, 'speaker', speaker, null, 'single');
      return centre ? pictures(input, 'centre', centre, null, 'single') : auto(input);
    case 'slides':
      return input.slides ? pictures(input, 'slides', 'slides', speaker ?? centre, 'inset') : auto(input);
    case 'side_by_side': {
      const first = speaker ?? (input.slides ? 'slides' : null);
      return first && centre ? pictures(input, 'side_by_side', first, centre, 'split') : auto(input);
    }
    case 'auto':
      return auto(input);
  }
}

/**
 * What the stage shows. Under a banner (chosen, or before the start) the pictures the automatic layout would
 * show are still given, so that the stage keeps them playing beneath it and nothing goes black when it lifts.
 */
export function decideLayout(input: LayoutInput): LayoutDecision {
  if (input.status === 'ended') return covered(input, 'ended', null);
  if (input.layout === 'banner') return covered(input, 'layout', automatic(input));
  return chosen(input, input.layout);
}
