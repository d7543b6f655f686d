// The stage's layout decision without a browser: every layout the host can choose, with and without a
// speaker, its name card, the centre's camera and a shared screen, before the start, on air and after the
// end; the fallbacks that keep a hall from an empty stage; the banner with its message and the pictures it
// keeps ready beneath it.
import { describe, expect, it } from 'vitest';

import { decideLayout, type LayoutDecision, type LayoutInput } from '../../shared/stage-layout.ts';
import { LAYOUTS } from '../../shared/programme.ts';

const LIVE: LayoutInput = {
  layout: 'auto',
  status: 'live',
  holder: null,
  nameCard: false,
  centre: true,
  speaker: false,
  slides: false,
  message: '',
};
const SPEAKING: Partial<LayoutInput> = { holder: 'xuan-loc', speaker: true };

const decide = (over: Partial<LayoutInput>): LayoutDecision => decideLayout({ ...LIVE, ...over });
/** The pictures on screen: main, second and how they share it. */
const screen = (d: LayoutDecision): [string | null, string | null, string] => [d.main, d.second, d.arrangement];

describe('the automatic layout', () => {
  it('shows the banner before the start, with the centre ready beneath it', () => {
    for (const status of ['draft', 'scheduled'] as const) {
      const d = decide({ status });
      expect(d).toMatchObject({ shown: 'banner', banner: 'before_start', message: '', speakerShown: false });
      expect(screen(d)).toEqual(['centre', null, 'single']);
    }
  });

  it('on air: the centre; the speaker large with the centre beside; slides large with the speaker inset', () => {
    expect(decide({})).toMatchObject({ shown: 'centre', banner: null, main: 'centre', second: null, arrangement: 'single' });
    expect(decide({ status: 'rehearsal' }).shown).toBe('centre');
    expect(screen(decide(SPEAKING))).toEqual(['speaker', 'centre', 'beside']);
    expect(decide(SPEAKING)).toMatchObject({ shown: 'speaker', speakerShown: true });
    expect(screen(decide({ ...SPEAKING, slides: true }))).toEqual(['slides', 'speaker', 'inset']);
    expect(decide({ ...SPEAKING, slides: true })).toMatchObject({ shown: 'slides', speakerShown: true });
    // The centre's own slides: the centre's camera inset.
    expect(screen(decide({ slides: true }))).toEqual(['slides', 'centre', 'inset']);
    expect(decide({ slides: true }).speakerShown).toBe(false);
  });

  it('the name card stands for the speaker whose video the host turned off, camera or not', () => {
    expect(screen(decide({ holder: 'xuan-loc', nameCard: true }))).toEqual(['card', 'centre', 'beside']);
    expect(screen(decide({ ...SPEAKING, nameCard: true, slides: true }))).toEqual(['slides', 'card', 'inset']);
    expect(decide({ holder: 'xuan-loc', nameCard: true }).speakerShown).toBe(true);
  });

  it('a speaker whose picture has not arrived yet: the centre meanwhile, the lower third already naming the speaker', () => {
    expect(screen(decide({ holder: 'xuan-loc' }))).toEqual(['centre', null, 'single']);
    expect(decide({ holder: 'xuan-loc' })).toMatchObject({ speakerShown: false, lowerThird: true });
    expect(decide({}).lowerThird).toBe(false);
    expect(decide(SPEAKING).lowerThird).toBe(true);
  });

  it('without the centre: the speaker alone, and the banner when there is no picture at all', () => {
    expect(screen(decide({ ...SPEAKING, centre: false }))).toEqual(['speaker', null, 'single']);
    expect(decide({ centre: false })).toMatchObject({ shown: 'banner', banner: 'no_picture', main: null });
  });
});

describe('the layouts the host chooses', () => {
  it('centre only: the centre whoever speaks; without its camera, automatic', () => {
    expect(screen(decide({ ...SPEAKING, layout: 'centre', slides: true }))).toEqual(['centre', null, 'single']);
    expect(decide({ ...SPEAKING, layout: 'centre' })).toMatchObject({ speakerShown: false, lowerThird: false });
    expect(screen(decide({ ...SPEAKING, layout: 'centre', centre: false }))).toEqual(['speaker', null, 'single']);
  });

  it('speaker only: the speaker or its card alone; with nobody on the floor, the centre', () => {
    expect(screen(decide({ ...SPEAKING, layout: 'speaker', slides: true }))).toEqual(['speaker', null, 'single']);
    expect(screen(decide({ holder: 'xuan-loc', nameCard: true, layout: 'speaker' }))).toEqual(['card', null, 'single']);
    expect(decide({ layout: 'speaker' })).toMatchObject({ shown: 'centre', main: 'centre', second: null });
    expect(decide({ layout: 'speaker', centre: false })).toMatchObject({ shown: 'banner', banner: 'no_picture' });
  });

  it('slides with the speaker: with nothing shared, automatic', () => {
    expect(screen(decide({ ...SPEAKING, layout: 'slides', slides: true }))).toEqual(['slides', 'speaker', 'inset']);
    expect(screen(decide({ layout: 'slides', slides: true, centre: false }))).toEqual(['slides', null, 'single']);
    expect(decide({ ...SPEAKING, layout: 'slides' })).toMatchObject({ shown: 'speaker', main: 'speaker', second: 'centre' });
    expect(decide({ layout: 'slides' }).shown).toBe('centre');
  });

  it('side by side: the speaker (or the slides) and the centre in two halves; with one picture, automatic', () => {
    expect(decide({ ...SPEAKING, layout: 'side_by_side' })).toMatchObject({
      shown: 'side_by_side',
      main: 'speaker',
      second: 'centre',
      arrangement: 'split',
      speakerShown: true,
    });
    expect(screen(decide({ layout: 'side_by_side', slides: true }))).toEqual(['slides', 'centre', 'split']);
    expect(screen(decide({ layout: 'side_by_side' }))).toEqual(['centre', null, 'single']);
    expect(screen(decide({ ...SPEAKING, layout: 'side_by_side', centre: false }))).toEqual(['speaker', null, 'single']);
  });

  it('the banner with the message, the automatic pictures kept ready beneath it; no lower third over it', () => {
    const d = decide({ ...SPEAKING, layout: 'banner', message: '  Tạm nghỉ 15 phút  ' });
    expect(d).toMatchObject({ shown: 'banner', banner: 'layout', message: 'Tạm nghỉ 15 phút', speakerShown: false, lowerThird: false });
    expect(screen(d)).toEqual(['speaker', 'centre', 'beside']);
    // Before the start too, and the message only ever with the banner layout.
    expect(decide({ layout: 'banner', status: 'scheduled', message: 'Sắp bắt đầu' })).toMatchObject({
      banner: 'layout',
      message: 'Sắp bắt đầu',
    });
    expect(decide({ layout: 'centre', message: 'Sắp bắt đầu' }).message).toBe('');
  });

  it('a layout other than automatic is shown before the start (the host’s deliberate choice)', () => {
    expect(decide({ layout: 'centre', status: 'scheduled' })).toMatchObject({ shown: 'centre', banner: null });
    // ...but falls back to the automatic one, and so to the banner, when it cannot be shown.
    expect(decide({ layout: 'slides', status: 'scheduled' })).toMatchObject({ shown: 'banner', banner: 'before_start' });
  });

  it('after the end every layout is the banner, with nothing beneath it', () => {
    for (const layout of LAYOUTS) {
      const d = decide({ ...SPEAKING, layout, status: 'ended', slides: true, message: 'x' });
      expect(d).toMatchObject({ layout, shown: 'banner', banner: 'ended', message: '', main: null, second: null });
    }
  });

  it('every layout names itself and never shows an empty stage while a picture exists', () => {
    for (const layout of LAYOUTS) {
      for (const over of [{}, SPEAKING, { slides: true }, { ...SPEAKING, slides: true }, { holder: 'x', nameCard: true }]) {
        const d = decide({ ...over, layout });
        expect(d.layout).toBe(layout);
        expect(d.main).not.toBeNull();
        expect(d.shown === 'banner').toBe(layout === 'banner');
        if (d.second) expect(d.second).not.toBe(d.main);
      }
    }
  });
});
