// The backdrop banner ("maket") of the seed plan: yellow ground, red text — the point's province or
// district, HỘI NGHỊ TRỰC TUYẾN, the conference's subject, and the place and date line. It stays in
// Vietnamese whatever the interface language: it is the hall's backdrop, not a control.
import type { ConferenceView, PointView } from '../../shared/domain.ts';
import { dateLine, HEADING, placeOf, regionOf, subjectOf } from '../../shared/banner-text.ts';
import { h } from './dom.ts';

/** What the banner reads: the conference's title, banner text and start, and the point's name. */
export type BannerConference = Pick<ConferenceView, 'title' | 'banner' | 'startsAt'>;

export function renderBanner(el: HTMLElement, conference: BannerConference, point: Pick<PointView, 'name'> | undefined): void {
  const name = point?.name ?? '';
  el.replaceChildren(
    h('div', { class: 'banner-region' }, regionOf(name).toLocaleUpperCase('vi')),
    h('div', { class: 'banner-heading' }, HEADING),
    h('div', { class: 'banner-subject' }, subjectOf(conference)),
    h('div', { class: 'banner-date' }, dateLine(placeOf(name), conference.startsAt)),
  );
}
