// The stage's layouts as the halls see them: names of the layouts (shared with the host's picker) and the
// stage's own labels (slides, the speaker inset, the banner message).
import { words } from './words.ts';

export const layoutWords = words(
  {
    'layout.auto': 'Tự động',
    'layout.centre': 'Chỉ trung tâm',
    'layout.speaker': 'Chỉ người phát biểu',
    'layout.slides': 'Trình chiếu kèm người nói',
    'layout.side_by_side': 'Hai hình song song',
    'layout.banner': 'Maket kèm thông báo',
    'layout.banner.label': 'Maket',
    'layout.slidesOf': 'Trình chiếu của {name}',
  },
  {
    'layout.auto': 'Automatic',
    'layout.centre': 'Centre only',
    'layout.speaker': 'Speaker only',
    'layout.slides': 'Slides with speaker',
    'layout.side_by_side': 'Side by side',
    'layout.banner': 'Banner with a message',
    'layout.banner.label': 'Banner',
    'layout.slidesOf': 'Slides from {name}',
  },
);
