// A live preview of the hall's backdrop ("maket") as the draft stands: the room display's own drawing
// (renderBanner) with the display's classes (.stage.tv > .tv-banner > .banner), on a 1920×1080 stage scaled
// down by a CSS transform into a 16:9 box, so lines break where they will in the hall. The region line
// depends on the point, so a select picks which point to see it as (the central point first).
import { onLanguage, t } from '../../i18n.ts';
import { renderBanner } from '../../ui/banner.ts';
import { fill, h, option, tr } from '../../ui/dom.ts';
import type { DraftHost } from './draft.ts';

const STAGE_WIDTH = 1920;

export interface BannerPreview {
  readonly el: HTMLElement;
  /** Draws the banner again from the draft (every keystroke in title, banner and start). */
  draw(): void;
}

export function bannerPreview(host: DraftHost): BannerPreview {
  const banner = h('section', { class: 'banner', label: 'layout.banner.label' });
  const stage = h(
    'div',
    { class: 'stage tv org-banner-stage', attrs: { 'aria-hidden': 'true' }, data: { shown: 'banner' } },
    h('div', { class: 'tv-banner' }, banner),
  );
  const frame = h('div', { class: 'org-banner-frame', data: { preview: 'banner' } }, stage);
  const asPoint = h('select', { class: 'small', data: { field: 'previewPoint' }, on: { change: () => draw() } });
  const el = h(
    'figure',
    { class: 'org-banner-preview' },
    h(
      'figcaption',
      { class: 'org-preview-head' },
      tr('org.preview.title', 'strong'),
      h('label', { class: 'check' }, tr('org.preview.as'), asPoint),
    ),
    frame,
    tr('org.preview.hint', 'p', { class: 'muted small-text' }),
  );

  // The stage keeps its 1920×1080 layout (container units of the hall's screen) and is only made small.
  const scale = (): void => {
    const width = frame.clientWidth;
    if (width > 0) stage.style.transform = `scale(${width / STAGE_WIDTH})`;
  };
  new ResizeObserver(scale).observe(frame);

  let chosen: string | null = null;
  const drawChoices = (): void => {
    const spec = host.spec();
    const keep = chosen && spec.points.some((p) => p.id === chosen) ? chosen : spec.centralPointId;
    const central = spec.points.find((p) => p.id === spec.centralPointId);
    const others = spec.points.filter((p) => p.id !== spec.centralPointId);
    fill(
      asPoint,
      ...(central ? [option(central.id, `${central.name} (${t('org.preview.central')})`, central.id === keep)] : []),
      ...others.slice(0, 300).map((p) => option(p.id, `${p.name} (${t(`level.${p.level}`)})`, p.id === keep)),
    );
    asPoint.value = keep;
  };

  const draw = (): void => {
    chosen = asPoint.value || chosen;
    drawChoices();
    const spec = host.spec();
    const point = spec.points.find((p) => p.id === (asPoint.value || spec.centralPointId));
    renderBanner(banner, spec, point);
    scale();
  };

  const offLanguage = onLanguage(() => (el.isConnected ? drawChoices() : offLanguage()));
  draw();
  return { el, draw };
}
