// The printed report's words for the codes it keeps: every state, status, level, end cause and readiness
// reason in Vietnamese first, with the English in brackets ("Đã kết nối (connected)"). The report is a
// document for officials; the JSON report keeps the codes. (The browser has its own dictionary.)
import type { ConferenceStatus, ConnectionState, PointLevel } from '../../shared/domain.ts';
import type { QuestionStatus, ReadinessReason, ReadinessView } from '../../shared/records.ts';
import type { Layout } from '../../shared/programme.ts';
import type { Chapter } from '../../shared/recording.ts';
import type { RecordingEventKind } from './recording.ts';
import type { FloorSegment } from './schema.ts';

const both = (vi: string, en: string): string => `${vi} (${en})`;

export const LEVEL: Record<PointLevel, string> = {
  central: both('Trung ương', 'central'),
  province: both('Tỉnh', 'province'),
  district: both('Huyện', 'district'),
  commune: both('Xã', 'commune'),
};

export const CONFERENCE_STATUS: Record<ConferenceStatus, string> = {
  draft: both('Bản nháp', 'draft'),
  scheduled: both('Đã lên lịch', 'scheduled'),
  rehearsal: both('Tổng duyệt', 'rehearsal'),
  live: both('Đang diễn ra', 'live'),
  ended: both('Đã kết thúc', 'ended'),
};

export const QUESTION_STATUS: Record<QuestionStatus, string> = {
  submitted: both('Đã gửi', 'submitted'),
  queued: both('Chờ trả lời', 'queued'),
  answering: both('Đang trả lời', 'being answered'),
  answered: both('Đã trả lời', 'answered'),
  dismissed: both('Không trả lời', 'dismissed'),
  merged: both('Đã gộp', 'merged'),
};

/** A question asked during the rehearsal and set aside at go-live (its dismiss reason is REHEARSAL_REASON). */
export const REHEARSAL_DISMISSED = both('Câu hỏi trong buổi tổng duyệt', 'asked during the rehearsal');

export const ANSWER_MODE: Record<'live' | 'written', string> = {
  live: both('Trực tiếp', 'live'),
  written: both('Bằng văn bản', 'written'),
};

/** Why a point's turn at the floor ended. */
export const ENDED_BY: Record<FloorSegment['endedBy'], string> = {
  grant: both('Chuyển lời', 'floor given to another point'),
  revoke: both('Thu hồi', 'revoked'),
  expire: both('Hết giờ', 'time up'),
  conference_end: both('Kết thúc hội nghị', 'conference ended'),
  ongoing: both('Đang phát biểu', 'still speaking'),
};

export const CONNECTION: Record<ConnectionState, string> = {
  never: both('Chưa kết nối', 'never connected'),
  connected: both('Đã kết nối', 'connected'),
  reconnecting: both('Đang kết nối lại', 'reconnecting'),
  gone: both('Mất kết nối', 'gone'),
  ended: both('Đã kết thúc', 'ended'),
};

export const READINESS_STATE: Record<ReadinessView['state'], string> = {
  ready: both('Sẵn sàng', 'ready'),
  not_ready: both('Chưa sẵn sàng', 'not ready'),
  not_tested: both('Chưa kiểm tra', 'not tested'),
};

const number = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const DIRECTION = { send: ['chiều gửi', 'send'], receive: ['chiều nhận', 'receive'] } as const;

/** One readiness reason with its measured value and the limit it failed. */
export function readinessReason(r: ReadinessReason): string {
  const [vi, en] = r.direction ? DIRECTION[r.direction] : ['', ''];
  const ms = (v: number): string => `${number.format(v)} ms`;
  switch (r.code) {
    case 'signalling_slow':
      return both(`Tín hiệu điều khiển chậm: ${ms(r.value)}, tối đa ${ms(r.limit)}`, 'slow signalling round trip');
    case 'bitrate_low':
      return both(`Băng thông ${vi} thấp: ${number.format(r.value)} kbps, tối thiểu ${number.format(r.limit)} kbps`, `low ${en} bitrate`);
    case 'loss_high':
      return both(`Mất gói ${vi}: ${decimal.format(r.value)}%, tối đa ${number.format(r.limit)}%`, `${en} packet loss`);
    case 'round_trip_high':
      return both(`Độ trễ ${vi}: ${ms(r.value)}, tối đa ${ms(r.limit)}`, `${en} round trip`);
    case 'jitter_high':
      return both(`Dao động trễ ${vi}: ${ms(r.value)}, tối đa ${ms(r.limit)}`, `${en} jitter`);
    case 'microphone_silent':
      return both(`Không nghe thấy micro: ${number.format(r.value)} dB, tối thiểu ${number.format(r.limit)} dB`, 'microphone silent');
  }
}

export const LAYOUT: Record<Layout, string> = {
  auto: both('Tự động', 'automatic'),
  centre: both('Chỉ trung tâm', 'centre only'),
  speaker: both('Chỉ người phát biểu', 'speaker only'),
  slides: both('Trình chiếu kèm người nói', 'slides with speaker'),
  side_by_side: both('Hai hình song song', 'side by side'),
  banner: both('Maket kèm thông báo', 'banner with a message'),
};

export const CHAPTER_KIND: Record<Chapter['kind'], string> = {
  turn: both('Lượt phát biểu', 'speaking turn'),
  agenda: both('Mục chương trình', 'agenda item'),
  question: both('Trả lời câu hỏi trực tiếp', 'question answered live'),
};

/** What happened to the recording; `on` for the switches (auto start, a push, the press link). */
export function recordingEvent(kind: RecordingEventKind, on: boolean | null): string {
  switch (kind) {
    case 'start':
      return both('Bắt đầu ghi hình', 'recording started');
    case 'stop':
      return both('Dừng ghi hình', 'recording stopped');
    case 'segment':
      return both('Mở phần ghi mới', 'new segment');
    case 'auto_start':
      return on ? both('Bật tự ghi khi hội nghị bắt đầu', 'auto start on') : both('Tắt tự ghi khi hội nghị bắt đầu', 'auto start off');
    case 'output_add':
      return both('Thêm luồng phát trực tiếp', 'live push added');
    case 'output_set':
      return on ? both('Bật luồng phát trực tiếp', 'live push on') : both('Tắt luồng phát trực tiếp', 'live push off');
    case 'output_remove':
      return both('Xóa luồng phát trực tiếp', 'live push removed');
    case 'press':
      return on ? both('Mở liên kết cho báo chí', 'press link on') : both('Đóng liên kết cho báo chí', 'press link off');
    case 'file_delete':
      return both('Xóa tệp', 'file deleted');
    case 'clip':
      return both('Cắt đoạn', 'clip cut');
  }
}

/** Why a programme segment opened. */
export const SEGMENT_CAUSE: Record<'start' | 'restart', string> = {
  start: both('bắt đầu ghi', 'recording started'),
  restart: both('bộ ghi khởi động lại sau sự cố', 'the recorder restarted after a failure'),
};
