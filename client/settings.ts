// Device and quality choices of this browser, kept in localStorage; `?video=360|540|720` in the URL
// overrides the capture height (weak links, or many clients on one test machine).
import type { CaptureSettings } from './net/media.ts';

const KEY = 'diemcau.devices';
const HEIGHTS = [360, 540, 720] as const;

export interface DeviceSettings extends CaptureSettings {
  speakerId: string;
}

function read(): Partial<DeviceSettings> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<DeviceSettings>) : {};
  } catch {
    return {};
  }
}

export function loadSettings(): DeviceSettings {
  const stored = read();
  const fromUrl = Number(new URLSearchParams(location.search).get('video'));
  const height = (HEIGHTS as readonly number[]).includes(fromUrl)
    ? fromUrl
    : (HEIGHTS as readonly number[]).includes(stored.height ?? 0)
      ? (stored.height as number)
      : 720;
  return {
    cameraId: typeof stored.cameraId === 'string' ? stored.cameraId : undefined,
    microphoneId: typeof stored.microphoneId === 'string' ? stored.microphoneId : undefined,
    speakerId: typeof stored.speakerId === 'string' ? stored.speakerId : '',
    height,
  };
}

export function saveSettings(settings: DeviceSettings): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Storage refused: the choice holds for this page only.
  }
}

export const VIDEO_HEIGHTS = HEIGHTS;
