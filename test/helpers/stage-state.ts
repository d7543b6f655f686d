// What a display's stage shows, as a viewer sees it, read in the page by script (for Chromium through
// playwright-core and Firefox through puppeteer-core alike), and a log of its changes with their times.

/** The stage's state: layout, what is shown after the fallbacks, the visible pictures, the banner. */
export interface StageState {
  layout: string;
  shown: string;
  arrangement: string;
  /** pointId/source of the visible main and second pictures ('' none; 'card:<pointId>' a name card). */
  main: string;
  second: string;
  banner: boolean;
  message: string;
}

/** A page script that returns the stage's StageState. */
export const STAGE_STATE = `(() => {
  const stage = document.querySelector('.stage');
  const picture = (slot) => {
    const box = stage.querySelector('.tv-' + slot);
    const card = box.querySelector('.name-card:not([hidden])');
    if (card) return 'card:' + card.dataset.pointId;
    const video = box.querySelector('video.front:not([hidden])');
    return video && box.offsetParent !== null ? video.dataset.pointId + '/' + video.dataset.source : '';
  };
  const banner = stage.querySelector('.tv-banner');
  const message = stage.querySelector('.banner-message');
  return {
    layout: stage.dataset.layout, shown: stage.dataset.shown, arrangement: stage.dataset.arrangement,
    main: picture('main'), second: picture('second'), banner: !banner.hidden,
    message: message.hidden ? '' : message.textContent,
  };
})()`;

/** A page script that starts (again) `window.__stageLog`: every change of the stage with its time (epoch ms, the page's clock). */
export const WATCH_STAGE = `(() => {
  window.__stageLog = [];
  window.__stageObserver?.disconnect();
  const note = () => window.__stageLog.push({ at: Date.now(), state: ${STAGE_STATE} });
  window.__stageObserver = new MutationObserver(note);
  window.__stageObserver.observe(document.querySelector('.stage'), { attributes: true, subtree: true, childList: true });
  note();
})()`;

/** Whether `state` shows everything `want` names. */
export const stageMatches = (state: StageState | undefined, want: Partial<StageState>): boolean =>
  !!state && Object.entries(want).every(([k, v]) => state[k as keyof StageState] === v);
