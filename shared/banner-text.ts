// The words of the backdrop banner ("maket") of the seed plan: the point's province or district, HỘI NGHỊ TRỰC
// TUYẾN, the conference's subject, and the place and date line. Always Vietnamese: it is the hall's backdrop,
// not a control. Pure, for the room display's banner and the recorder's programme alike.
import type { ConferenceView } from './domain.ts';

export const HEADING = 'HỘI NGHỊ TRỰC TUYẾN';
const ADMIN_PREFIX = /^(tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn)\s+/i;

/** "Điểm cầu huyện Xuân Lộc" → "huyện Xuân Lộc". */
export function regionOf(pointName: string): string {
  return pointName.replace(/^điểm cầu\s+/i, '').trim();
}

/** "Điểm cầu huyện Xuân Lộc" → "Xuân Lộc": the place written before the date. */
export function placeOf(pointName: string): string {
  return regionOf(pointName).replace(ADMIN_PREFIX, '').trim();
}

/** The subject line: the banner text without its heading, or the title without "Hội nghị trực tuyến". */
export function subjectOf(conference: Pick<ConferenceView, 'title' | 'banner'>): string {
  const source = conference.banner.trim() || conference.title.trim();
  const rest = source.replace(/^hội nghị trực tuyến[\s:,-]*/i, '').trim();
  if (!rest) return conference.title;
  return rest.charAt(0).toLocaleUpperCase('vi') + rest.slice(1);
}

/** "Xuân Lộc, ngày 28 tháng 4 năm 2021", from the date as written in startsAt (the conference's own day). */
export function dateLine(place: string, startsAt: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(startsAt);
  if (!match) return place;
  const [, year, month, day] = match;
  const text = `ngày ${Number(day)} tháng ${Number(month)} năm ${year}`;
  return place ? `${place}, ${text}` : text;
}
