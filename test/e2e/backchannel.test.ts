// The back-channel in Chromium, in Vietnamese, for both seed plans (Đồng Nai: Xuân Lộc; MTTQ: Hà Nội; one hub
// and one browser for both): the host writes to the point's technician, whose Messages tab shows an unread
// badge, then the message; the technician answers; the host confirms "the centre hears you" and the point's
// console shows it large; the host listens privately and the point's console says so. The room display of the
// same point never shows any of it. Screenshots go to /tmp/shots/ (or DIEMCAU_SHOTS).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { openPage } from '../helpers/browser.ts';
import { hubAndBrowser } from '../helpers/test-hub.ts';

const SHOTS = process.env['DIEMCAU_SHOTS'] ?? '/tmp/shots';
const PLANS = [
  {
    plan: 'Đồng Nai',
    slug: 'dong-nai',
    conference: 'dong-nai-tap-huan-bau-cu',
    centre: 'tinh-dong-nai',
    point: 'xuan-loc',
    name: 'Xuân Lộc',
  },
  { plan: 'MTTQ', slug: 'mttq', conference: 'mttq-giam-sat-bau-cu-dot-1', centre: 'trung-uong', point: 'ha-noi', name: 'Hà Nội' },
] as const;

let hub: Hub;
let url: string;
let browser: Browser;

hubAndBrowser((started) => ({ hub, url, browser } = started), [SHOTS]);

describe.each(PLANS)('back-channel in the consoles: $plan', ({ slug, conference: CONFERENCE, centre, point: POINT, name }) => {
  const TEXT = `${name} tăng âm lượng micro lên một chút`;
  const errors: string[] = [];
  const open = async (pointId: string, role: Role, viewport: { width: number; height: number }): Promise<Page> => {
    const { token } = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
    return openPage(browser, `${url}/?video=360#token=${token}`, errors, `${pointId}/${role}`, undefined, viewport);
  };

  it('carries text, the heard confirmation and the talkback state to the technician only', async () => {
    const host = await open(centre, 'host', { width: 1920, height: 1080 });
    const tech = await open(POINT, 'technician', { width: 1366, height: 768 });
    const display = await open(POINT, 'viewer', { width: 1920, height: 1080 });
    await host.locator('[data-tab="messages"]').click();
    await host.locator('.bc-host .bc-picker').selectOption(POINT);
    await host.locator('.bc-host .bc-input').fill(TEXT);
    await host.locator('.bc-host [data-action="send-message"]').click();

    // The technician sees an unread badge on its Messages tab, then the message once it opens the tab.
    await tech.locator('[data-tab="messages"] .bc-badge', { hasText: '1' }).waitFor({ timeout: 10_000 });
    await tech.locator('[data-tab="messages"]').click();
    await tech.locator('.bc-point .bc-text', { hasText: TEXT }).waitFor();
    await tech.locator('[data-tab="messages"] .bc-badge').waitFor({ state: 'hidden' });
    await tech.locator('.bc-point .bc-input').fill('Đã tăng, trung tâm nghe thử');
    await tech.locator('.bc-point [data-action="send-message"]').click();
    await host.locator('.bc-host .bc-text', { hasText: 'Đã tăng' }).waitFor();

    await host.locator('.bc-host [data-action="confirm-heard"]').click();
    await tech.locator('.bc-heard', { hasText: 'Trung tâm đã nghe rõ điểm cầu' }).waitFor();
    await host.locator('.bc-host [data-action="talkback-listen"]').click();
    await tech.locator('.bc-listening', { hasText: 'Trung tâm đang nghe điểm cầu' }).waitFor();
    await host.locator('.bc-talkback-state', { hasText: new RegExp(`Đang nghe riêng: .*${name}`) }).waitFor();
    await host.screenshot({ path: join(SHOTS, `backchannel-host-1920-${slug}.png`) });
    await tech.screenshot({ path: join(SHOTS, `backchannel-technician-1366-${slug}.png`) });

    // Talkback: the host talks privately to the point's technician. The technician's console plays the centre's
    // voice with the sound on; no room display gets it; the programme's microphone sends nothing meanwhile.
    await host.locator('.bc-host [data-action="talkback-talk"]').click();
    await tech.locator('.bc-talking').waitFor({ state: 'visible' });
    const talkbackPlaying = `(() => { const a = document.querySelector('[data-role="talkback-audio"] audio');
      return a !== null && !a.muted && !a.paused && a.currentTime > 0.5; })()`;
    for (let tries = 0; !(await tech.evaluate(talkbackPlaying)); tries++) {
      expect(tries, 'the talkback plays at the technician').toBeLessThan(80);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await display.locator('[data-role="talkback-audio"] audio').count()).toBe(0);
    const programmeBytes = async (): Promise<number> => {
      const session = hub.conferences
        .get(CONFERENCE)
        ?.sessions()
        .find((s) => s.role === 'host');
      const stats = (await session?.peer.producer('microphone')?.getStats()) ?? [];
      return stats.reduce((sum, s) => sum + s.byteCount, 0);
    };
    const growth = async (): Promise<number> => {
      const before = await programmeBytes();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return (await programmeBytes()) - before;
    };
    // Packets already on their way when the talk began have arrived by now. A paused microphone still sends
    // Opus silence now and then (a disabled track, DTX): a trickle against the tone's steady stream after.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const whileTalking = await growth();
    await host.locator('.bc-host [data-action="talkback-talk"]').click();
    await tech.locator('[data-role="talkback-audio"] audio').waitFor({ state: 'detached', timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await growth();
    expect(after).toBeGreaterThan(2000);
    expect(whileTalking).toBeLessThan(after / 5);

    // The room display shows none of it.
    const shown = await display.locator('body').innerText();
    for (const words of [TEXT, 'Đã tăng', 'Trung tâm đã nghe rõ', 'Trung tâm đang nghe']) expect(shown).not.toContain(words);
    expect(await display.locator('.bc-panel').count()).toBe(0);
    expect(errors).toEqual([]);
    // This plan's pages go, so the next plan's run has the machine to itself.
    for (const page of [host, tech, display]) await page.context().close();
  }, 90_000);
});
