// The report as a printable HTML page (Vietnamese headings; every code in Vietnamese with its English, from
// words.ts). Every string from users or the spec goes through escapeHtml; the page has no script, and its one
// inline style is allowed by hash in a strict CSP.
import { createHash } from 'node:crypto';
import { REHEARSAL_REASON } from '../../shared/records.ts';
import type { ProgrammeChange } from './programme.ts';
import { mediaClock, type RecordingEvent, type ReportRecording } from './recording.ts';
import type { ConferenceReport } from './schema.ts';
import {
  ANSWER_MODE,
  CONFERENCE_STATUS,
  CHAPTER_KIND,
  CONNECTION,
  ENDED_BY,
  LAYOUT,
  LEVEL,
  QUESTION_STATUS,
  READINESS_STATE,
  REHEARSAL_DISMISSED,
  readinessReason,
  recordingEvent,
  SEGMENT_CAUSE,
} from './words.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** The page's style, inline here and also served as /api/report.css (the console opens the page from a blob). */
export const STYLE = `
body{font-family:"Times New Roman",serif;margin:2em;color:#000;line-height:1.35}
h1{font-size:1.5em;text-align:center;margin:0 0 .3em}
h2{font-size:1.15em;margin:1.4em 0 .4em;border-bottom:1px solid #444}
.sub{text-align:center;margin:0 0 1em}
table{border-collapse:collapse;width:100%;margin:.4em 0;font-size:.92em}
th,td{border:1px solid #666;padding:.25em .4em;vertical-align:top;text-align:left}
th{background:#eee}
td.n{text-align:right;white-space:nowrap}
.muted{color:#555}
@media print{body{margin:1cm}h2{break-after:avoid}tr{break-inside:avoid}}
`.trim();

/** The Content-Security-Policy for the page: nothing but this one stylesheet. */
export const REPORT_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const clock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
/** Vietnamese order, Vietnam time: 28/04/2021 08:05:09. */
function when(ms: number | null): string {
  if (ms === null) return '—';
  const p = Object.fromEntries(clock.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
}
const duration = (s: number): string => {
  const total = Math.round(s);
  const m = Math.floor(total / 60);
  return m > 0 ? `${m} phút ${total % 60} giây` : `${total} giây`;
};

type Cell = string | number | null | { html: string };
const cell = (c: Cell, numeric = typeof c === 'number'): string =>
  `<td${numeric ? ' class="n"' : ''}>${c !== null && typeof c === 'object' ? c.html : escapeHtml(c ?? '—')}</td>`;

function table(headings: string[], rows: Cell[][], empty: string): string {
  if (rows.length === 0) return `<p class="muted">${escapeHtml(empty)}</p>`;
  const head = headings.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => cell(c)).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function rollCallLine(call: ConferenceReport['rollCalls'][number], n: number): string {
  const missing = call.missing.length ? `: ${call.missing.map((m) => escapeHtml(m.pointName)).join(', ')}` : '';
  return (
    `<p>Lượt ${n}, bắt đầu ${escapeHtml(when(call.startedAt))}: ${call.confirmed.length} điểm cầu xác nhận, ` +
    `${call.missing.length} điểm cầu chưa xác nhận${missing}.</p>`
  );
}

function programmeChange(c: ProgrammeChange): Cell[] {
  if (c.kind === 'layout') return ['Bố cục (layout)', c.layout ? LAYOUT[c.layout] + (c.message ? `: ${c.message}` : '') : null];
  if (c.kind === 'sharing') {
    return ['Chia sẻ màn hình của điểm cầu (point sharing)', c.allowed ? 'Cho phép (allowed)' : 'Không cho phép (not allowed)'];
  }
  return ['Dừng chia sẻ màn hình (sharing stopped)', c.pointNames.join(', ')];
}

const inFile = (n: number | null): string => (n === null ? 'tệp đã xóa (file deleted)' : `tệp ${n} (file ${n})`);
const span = (from: number | null, to: number | null): string => `${mediaClock(from ?? 0)} – ${to === null ? '…' : mediaClock(to)}`;

function recordingEventDetail(e: RecordingEvent): string {
  if (e.kind === 'segment') return `Phần ${e.segment ?? '?'} (segment ${e.segment ?? '?'}): ${SEGMENT_CAUSE[e.cause ?? 'start']}`;
  if (e.kind === 'clip') return `${e.label}, ${span(e.fromMs, e.toMs)}`;
  return e.label;
}

/** Section 12: the programme files, the chapters with their place in them, the clips, and the recording's events. */
function recordingSectionHtml(rec: ReportRecording): string {
  const length = (ms: number | null): string | null => (ms === null ? null : mediaClock(ms));
  return [
    `<h2>12. Ghi hình (recording)</h2>`,
    table(
      ['Tệp', 'Phần', 'Bắt đầu', 'Kết thúc', 'Thời lượng', 'Dung lượng (byte)', 'SHA-256', 'Tên tệp'],
      rec.files.map((f) => [f.number, f.segment, when(f.startedAt), when(f.endedAt), length(f.durationMs), f.bytes, f.sha256, f.name]),
      'Hội nghị không được ghi hình (not recorded).',
    ),
    `<p><strong>Các chương trong bản ghi (chapters)</strong></p>`,
    table(
      ['#', 'Loại', 'Nội dung', 'Vị trí trong bản ghi', 'Giờ'],
      rec.chapters.map((c, i) => [
        i + 1,
        CHAPTER_KIND[c.kind],
        c.title,
        `${span(c.startMs, c.endMs)}, ${inFile(c.fileNumber)}`,
        `${when(c.from)} – ${c.to === null ? '…' : when(c.to)}`,
      ]),
      'Không có chương nào (no chapters).',
    ),
    `<p><strong>Các đoạn cắt (clips)</strong></p>`,
    table(
      ['Tên tệp', 'Cắt từ', 'Thời lượng', 'Dung lượng (byte)', 'SHA-256'],
      rec.clips.map((c) => [c.name, `${span(c.fromMs, c.toMs)}, ${inFile(c.sourceNumber)}`, length(c.durationMs), c.bytes, c.sha256]),
      'Không có đoạn cắt (no clips).',
    ),
    `<p><strong>Diễn biến ghi hình (recording events)</strong></p>`,
    table(
      ['Lúc', 'Sự kiện', 'Chi tiết'],
      rec.events.map((e) => [when(e.at), recordingEvent(e.kind, e.enabled), recordingEventDetail(e) || null]),
      'Không có (none).',
    ),
  ].join('\n');
}

export function renderReportHtml(r: ConferenceReport): string {
  const c = r.conference;
  const sections = [
    `<h1>BÁO CÁO HỘI NGHỊ TRỰC TUYẾN</h1>`,
    `<p class="sub"><strong>${escapeHtml(c.title)}</strong></p>`,
    `<h2>1. Thông tin chung</h2>`,
    table(
      ['Mục', 'Nội dung'],
      [
        ['Mã hội nghị', c.id],
        ['Đơn vị tổ chức', c.organiser],
        ['Nội dung', c.content],
        ['Thời gian dự kiến', Number.isNaN(Date.parse(c.startsAt)) ? c.startsAt : when(Date.parse(c.startsAt))],
        ['Bắt đầu', when(c.liveAt)],
        ['Kết thúc', when(c.endedAt)],
        ['Trạng thái', CONFERENCE_STATUS[c.status]],
        ['Lập báo cáo lúc', when(r.generatedAt)],
      ],
      '',
    ),
    `<h2>2. Phát biểu tại các điểm cầu</h2>`,
    table(
      ['#', 'Điểm cầu', 'Cấp', 'Bắt đầu', 'Kết thúc', 'Thời lượng', 'Kết thúc do'],
      r.floor.segments.map((s, i) => [
        i + 1,
        s.pointName,
        s.level ? LEVEL[s.level] : null,
        when(s.start),
        when(s.end),
        duration(s.seconds),
        ENDED_BY[s.endedBy],
      ]),
      'Chưa có điểm cầu nào phát biểu.',
    ),
    table(
      ['Điểm cầu', 'Số lượt', 'Tổng thời lượng'],
      r.floor.byPoint.map((p) => [p.pointName, p.turns, duration(p.seconds)]),
      '',
    ),
    `<h2>3. Chương trình</h2>`,
    table(
      ['Nội dung', 'Trình bày', 'Dự kiến (phút)', 'Bắt đầu', 'Thời lượng'],
      r.agenda.map((a) => [a.title, a.rapporteur, a.plannedMinutes, when(a.start), duration(a.seconds)]),
      'Chưa ghi nhận mục chương trình nào.',
    ),
    `<h2>4. Câu hỏi và trả lời</h2>`,
    `<p>Tổng số câu hỏi: ${r.questions.total}</p>`,
    table(
      ['#', 'Điểm cầu', 'Người hỏi', 'Đơn vị', 'Lĩnh vực', 'Nội dung', 'Trạng thái', 'Trả lời'],
      r.questions.items.map((q, i) => [
        i + 1,
        q.pointName,
        q.asker,
        q.unit,
        q.category,
        q.text,
        QUESTION_STATUS[q.status],
        q.status === 'answered'
          ? { html: `${escapeHtml(ANSWER_MODE[q.answerMode ?? 'live'])}${q.answer ? `: ${escapeHtml(q.answer)}` : ''}` }
          : q.status === 'dismissed'
            ? q.dismissReason === REHEARSAL_REASON
              ? REHEARSAL_DISMISSED
              : q.dismissReason
            : null,
      ]),
      'Không có câu hỏi.',
    ),
    `<h2>5. Tham dự theo điểm cầu</h2>`,
    table(
      ['Điểm cầu', 'Cấp', 'Dự kiến', 'Có mặt', 'Báo cáo lúc'],
      r.attendance.points.map((p) => [p.pointName, LEVEL[p.level], p.expected, p.present, when(p.reportedAt)]),
      '',
    ),
    `<h2>6. Tham dự theo cấp</h2>`,
    table(
      ['Cấp', 'Số điểm cầu', 'Đã báo cáo', 'Có mặt', 'Dự kiến'],
      [
        ...r.attendance.byLevel.map((l): Cell[] => [LEVEL[l.level], l.points, l.reported, l.present, l.expected]),
        ['Tổng cộng', r.attendance.totals.points, r.attendance.totals.reported, r.attendance.totals.present, r.attendance.totals.expected],
      ],
      '',
    ),
    `<h2>7. Điểm danh</h2>`,
    r.rollCalls.length === 0
      ? '<p class="muted">Không có lượt điểm danh.</p>'
      : r.rollCalls.map((call, i) => rollCallLine(call, i + 1)).join('\n'),
    `<h2>8. Kết nối</h2>`,
    table(
      ['Điểm cầu', 'Kết nối lần đầu', 'Số lần mất kết nối', 'Thời gian kết nối', 'Trạng thái cuối'],
      r.connections.map((p) => [p.pointName, when(p.firstConnectedAt), p.drops, duration(p.connectedSeconds), CONNECTION[p.lastState]]),
      '',
    ),
    `<h2>9. Kiểm tra kết nối</h2>`,
    table(
      ['Điểm cầu', 'Cấp', 'Kết quả', 'Kiểm tra lúc', 'Lý do'],
      r.readiness.map((p) => [
        p.pointName,
        LEVEL[p.level],
        READINESS_STATE[p.state],
        when(p.testedAt),
        p.reasons.length ? { html: p.reasons.map((reason) => escapeHtml(readinessReason(reason))).join('<br>') } : null,
      ]),
      'Không có điểm cầu nào cần kiểm tra.',
    ),
    table(
      ['Cấp', 'Số điểm cầu', 'Sẵn sàng', 'Chưa sẵn sàng', 'Chưa kiểm tra'],
      r.readinessByLevel.map((l) => [l.level ? LEVEL[l.level] : 'Tổng cộng', l.points, l.ready, l.notReady, l.notTested]),
      '',
    ),
    `<h2>10. Tài liệu</h2>`,
    table(
      ['Tên tài liệu', 'Loại', 'Dung lượng (byte)', 'SHA-256', 'Tải lên lúc'],
      r.documents.map((d) => [d.name, d.mimeType, d.size, d.sha256, when(d.uploadedAt)]),
      'Không có tài liệu.',
    ),
    `<h2>11. Hình ảnh phát tới các điểm cầu</h2>`,
    table(
      ['Lúc', 'Thay đổi', 'Chi tiết'],
      r.programme.changes.map((c) => [when(c.at), ...programmeChange(c)]),
      'Giữ bố cục tự động suốt hội nghị (automatic layout throughout).',
    ),
    table(
      ['Điểm cầu', 'Mức âm thanh (dB)'],
      r.programme.gains.map((g) => [g.pointName, g.gainDb > 0 ? `+${g.gainDb}` : g.gainDb]),
      '',
    ),
    recordingSectionHtml(r.recording),
    r.unreadableEvents.length === 0
      ? ''
      : `<p class="muted">${r.unreadableEvents.length} mục nhật ký không đọc được, không tính trong báo cáo ` +
        `(unreadable log entries, left out): ${r.unreadableEvents.map((e) => `#${e.seq} ${escapeHtml(e.action)}`).join(', ')}.</p>`,
  ];
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Báo cáo hội nghị – ${escapeHtml(c.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`;
}
