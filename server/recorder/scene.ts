// What the programme mix shows now, decided from the conference as the recorder sees it through the protocol
// and the consumers the hub gave it: the same layout decision as the halls' screens (shared/stage-layout.ts),
// turned into the mixer's composition, which consumer feeds its main and second pictures and its two sounds,
// the texts (lower third, banner, name cards) and the gains. Pure: tested without processes.
import { dateLine, HEADING, placeOf, regionOf, subjectOf } from '../../shared/banner-text.ts';
import type { ConferenceView, MediaSource } from '../../shared/domain.ts';
import { decideLayout, type LayoutDecision, type Picture } from '../../shared/stage-layout.ts';
import type { Composition } from './mixer-graph.ts';
import type { MixerTexts } from './mixer.ts';

export interface SceneConsumer {
  consumerId: string;
  pointId: string;
  source: MediaSource;
}

export interface Scene {
  decision: LayoutDecision;
  composition: Composition;
  /** The consumer feeding the mixer's main and second pictures (null: the dark filler, or a name card over it). */
  main: string | null;
  second: string | null;
  /** The centre's microphone and the speaking point's. */
  centreAudio: string | null;
  floorAudio: string | null;
  texts: MixerTexts;
  /** dB the host set for the centre and for the speaking point. */
  gains: { centre: number; floor: number };
}

const COMPOSITION: Record<LayoutDecision['arrangement'], Composition> = {
  single: 'single',
  beside: 'beside',
  inset: 'inset',
  split: 'split',
};

export function decideScene(conference: ConferenceView, consumers: readonly SceneConsumer[]): Scene {
  const centreId = conference.centralPointId;
  const holder = conference.floor.pointId;
  const find = (pointId: string | null, source: MediaSource): string | null =>
    pointId === null ? null : (consumers.find((c) => c.pointId === pointId && c.source === source)?.consumerId ?? null);
  const holderPoint = holder ? conference.points.find((p) => p.id === holder) : undefined;
  // The shared screen: the speaking point's, else the centre's (as the halls' stage picks it).
  const slides = find(holder, 'screen') ?? find(centreId, 'screen');
  const decision = decideLayout({
    layout: conference.programme.layout,
    status: conference.status,
    holder,
    nameCard: holderPoint?.mutedByHost.video ?? false,
    centre: find(centreId, 'camera') !== null,
    speaker: find(holder, 'camera') !== null,
    slides: slides !== null,
    message: conference.programme.message,
  });
  const feed = (picture: Picture | null): string | null => {
    if (picture === 'centre') return find(centreId, 'camera');
    if (picture === 'speaker') return find(holder, 'camera');
    if (picture === 'slides') return slides;
    return null;
  };
  const banner = decision.banner !== null;
  const centrePoint = conference.points.find((p) => p.id === centreId);
  const item = conference.agenda.items.find((i) => i.id === conference.agenda.currentItemId);
  const card = (picture: Picture | null): string => (picture === 'card' && holderPoint ? holderPoint.name : '');
  const centreName = centrePoint?.name ?? '';
  const texts: MixerTexts = {
    lowerThird: banner ? '' : decision.lowerThird && holderPoint ? holderPoint.name : decision.main === 'centre' ? centreName : '',
    lowerThirdSub: banner || !item ? '' : item.title,
    bannerRegion: regionOf(centreName).toLocaleUpperCase('vi'),
    bannerTitle: HEADING,
    bannerSubtitle: subjectOf(conference),
    bannerDate: dateLine(placeOf(centreName), conference.startsAt),
    bannerMessage: decision.message,
    cardMain: banner ? '' : card(decision.main),
    cardSecond: banner ? '' : card(decision.second),
  };
  const gain = (pointId: string | null): number => (pointId === null ? 0 : (conference.programme.gains[pointId] ?? 0));
  const ended = conference.status === 'ended';
  return {
    decision,
    composition: banner ? 'banner' : COMPOSITION[decision.arrangement],
    main: banner ? null : feed(decision.main),
    second: banner ? null : feed(decision.second),
    centreAudio: ended ? null : find(centreId, 'microphone'),
    floorAudio: ended || holder === centreId ? null : find(holder, 'microphone'),
    texts,
    gains: { centre: gain(centreId), floor: gain(holder) },
  };
}
