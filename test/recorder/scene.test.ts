// The recorder's scene: the same layout decision as the halls' screens, turned into the mixer's composition,
// the consumers feeding its pictures and sounds, and its texts. Pure.
import { describe, expect, it } from 'vitest';
import type { ConferenceView, PointView } from '../../shared/domain.ts';
import { DEFAULT_PROGRAMME } from '../../shared/programme.ts';
import { decideScene, type SceneConsumer } from '../../server/recorder/scene.ts';

const point = (id: string, name: string, level: PointView['level'] = 'district'): PointView => ({
  id,
  name,
  level,
  parentId: null,
  centralSide: false,
  venue: '',
  presiding: '',
  expectedAttendance: 0,
  connection: 'connected',
  connectionSince: 0,
  mutedByHost: { audio: false, video: false },
  publishing: { audio: true, video: true },
});

function conference(over: Partial<ConferenceView> = {}): ConferenceView {
  return {
    id: 'dong-nai',
    title: 'Hội nghị trực tuyến tập huấn',
    organiser: 'UBND tỉnh Đồng Nai',
    startsAt: '2021-04-28T08:00:00+07:00',
    status: 'live',
    banner: 'HỘI NGHỊ TRỰC TUYẾN tập huấn công tác bầu cử',
    floorSeconds: 300,
    centralPointId: 'tinh',
    questionCategories: ['Khác'],
    points: [point('tinh', 'Điểm cầu tỉnh Đồng Nai', 'province'), point('xuan-loc', 'Điểm cầu huyện Xuân Lộc')],
    floor: { pointId: null, since: 0, endsAt: null, queue: [] },
    agenda: {
      items: [{ id: 'a1', title: 'Khai mạc', rapporteurPointId: null, rapporteur: '', plannedMinutes: 5 }],
      currentItemId: 'a1',
      currentSince: 0,
    },
    programme: { ...DEFAULT_PROGRAMME },
    ...over,
  };
}

const consumers: SceneConsumer[] = [
  { consumerId: 'c-cam', pointId: 'tinh', source: 'camera' },
  { consumerId: 'c-mic', pointId: 'tinh', source: 'microphone' },
  { consumerId: 'x-cam', pointId: 'xuan-loc', source: 'camera' },
  { consumerId: 'x-mic', pointId: 'xuan-loc', source: 'microphone' },
];

describe('the recorder’s scene', () => {
  it('shows the banner before the start, with the centre’s region and the subject', () => {
    const scene = decideScene(conference({ status: 'scheduled' }), consumers);
    expect(scene.composition).toBe('banner');
    expect(scene.main).toBeNull();
    expect(scene.texts.bannerRegion).toBe('TỈNH ĐỒNG NAI');
    expect(scene.texts.bannerSubtitle).toBe('Tập huấn công tác bầu cử');
    expect(scene.texts.bannerDate).toBe('Đồng Nai, ngày 28 tháng 4 năm 2021');
    expect(scene.texts.lowerThird).toBe('');
  });

  it('on air without a speaker: the centre alone, named, with the agenda item; the centre’s sound only', () => {
    const scene = decideScene(conference(), consumers);
    expect(scene).toMatchObject({ composition: 'single', main: 'c-cam', second: null, centreAudio: 'c-mic', floorAudio: null });
    expect(scene.texts).toMatchObject({ lowerThird: 'Điểm cầu tỉnh Đồng Nai', lowerThirdSub: 'Khai mạc' });
  });

  it('a point on the floor: the speaker large with the centre beside it, named, its sound mixed in with its gain', () => {
    const c = conference({
      floor: { pointId: 'xuan-loc', since: 0, endsAt: null, queue: [] },
      programme: { ...DEFAULT_PROGRAMME, gains: { 'xuan-loc': 6, tinh: -3 } },
    });
    const scene = decideScene(c, consumers);
    expect(scene).toMatchObject({ composition: 'beside', main: 'x-cam', second: 'c-cam', centreAudio: 'c-mic', floorAudio: 'x-mic' });
    expect(scene.texts.lowerThird).toBe('Điểm cầu huyện Xuân Lộc');
    expect(scene.gains).toEqual({ centre: -3, floor: 6 });
  });

  it('the host’s side by side and banner layouts; a name card when the host turned the speaker’s video off', () => {
    const floor = { pointId: 'xuan-loc', since: 0, endsAt: null, queue: [] };
    const split = decideScene(conference({ floor, programme: { ...DEFAULT_PROGRAMME, layout: 'side_by_side' } }), consumers);
    expect(split).toMatchObject({ composition: 'split', main: 'x-cam', second: 'c-cam' });
    const banner = decideScene(
      conference({ floor, programme: { ...DEFAULT_PROGRAMME, layout: 'banner', message: 'Nghỉ giải lao' } }),
      consumers,
    );
    expect(banner.composition).toBe('banner');
    expect(banner.texts.bannerMessage).toBe('Nghỉ giải lao');
    const muted = conference({ floor });
    muted.points = muted.points.map((p) => (p.id === 'xuan-loc' ? { ...p, mutedByHost: { audio: false, video: true } } : p));
    const card = decideScene(muted, consumers);
    expect(card).toMatchObject({ composition: 'beside', main: null, second: 'c-cam' });
    expect(card.texts.cardMain).toBe('Điểm cầu huyện Xuân Lộc');
  });

  it('slides shared by the centre: large, with the centre inset', () => {
    const scene = decideScene(conference(), [...consumers, { consumerId: 'c-scr', pointId: 'tinh', source: 'screen' }]);
    expect(scene).toMatchObject({ composition: 'inset', main: 'c-scr', second: 'c-cam' });
  });
});
