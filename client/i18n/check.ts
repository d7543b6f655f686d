// The words of the self-check (client/views/check/): devices, the speaker and microphone tests, the
// connection test's figures against their limits, and what to do about each reason a test fails.
import { words } from './words.ts';

export const check = words(
  {
    'check.tab': 'Kiểm tra',
    'check.title': 'Thiết bị và kiểm tra',
    'check.attendanceTab': 'Điểm danh',
    'check.sound': 'Loa và micro',
    'check.tone': 'Phát âm thử trên loa',
    'check.tonePlaying': 'Đang phát âm thử trên loa đã chọn…',
    'check.tonePlayed': 'Đã phát âm thử. Phòng không nghe thấy? Kiểm tra loa đã bật, đúng loa đã chọn và âm lượng.',
    'check.record': 'Thu 3 giây rồi nghe lại',
    'check.recording': 'Đang thu: hãy nói vào micro…',
    'check.playingBack': 'Đang phát lại tiếng vừa thu…',
    'check.playedBack': 'Đã phát lại. Không nghe thấy tiếng mình? Kiểm tra micro đã bật và đúng micro đã chọn.',
    'check.noMicrophone': 'Chưa có micro: hãy chọn micro ở trên.',
    'check.soundFailed': 'Không phát được âm thanh: {message}',
    'check.result': 'Kết quả',
    'check.lastTest': 'Lần kiểm tra cuối',
    'check.never': 'Chưa kiểm tra lần nào',
    'check.testedAt': 'Kiểm tra lúc {time}',
    'check.figure': 'Chỉ số',
    'check.measured': 'Đo được',
    'check.limit': 'Ngưỡng',
    'check.pass': 'Đạt',
    'check.fail': 'Chưa đạt',
    'check.atMost': 'tối đa {limit} {unit}',
    'check.atLeast': 'tối thiểu {limit} {unit}',
    'check.fig.signalling': 'Báo hiệu (khứ hồi)',
    'check.fig.bitrate': 'Tốc độ {direction}',
    'check.fig.loss': 'Mất gói {direction}',
    'check.fig.roundTrip': 'Trễ khứ hồi {direction}',
    'check.fig.jitter': 'Dao động trễ {direction}',
    'check.fig.microphone': 'Mức micro',
    'check.whatToDo': 'Cách khắc phục',
    'check.centre': 'Trung tâm',
    'check.advice.signalling_slow':
      'Đường tới máy chủ chậm: tắt các máy và ứng dụng đang tải dữ liệu (cập nhật, sao ' +
      'lưu, xem video), dùng cáp mạng thay Wi-Fi, rồi kiểm tra lại.',
    'check.advice.bitrate_low':
      'Băng thông không đủ: dùng cáp mạng thay Wi-Fi, tắt các máy khác đang dùng mạng; vẫn ' +
      'thấp thì chọn chất lượng hình thấp hơn và báo bên cung cấp mạng.',
    'check.advice.loss_high':
      'Mạng mất gói: dùng cáp mạng thay Wi-Fi, kiểm tra dây mạng và bộ chuyển mạch; vẫn mất gói thì báo bên cung cấp mạng.',
    'check.advice.round_trip_high': 'Độ trễ cao: tắt VPN hoặc proxy nếu có, dùng đường mạng trực tiếp của cơ quan, rồi kiểm tra lại.',
    'check.advice.jitter_high': 'Đường truyền chập chờn: dùng cáp mạng thay Wi-Fi và không tải dữ liệu lớn trong lúc họp.',
    'check.advice.microphone_silent':
      'Micro không có tiếng: kiểm tra micro đã cắm và bật, chọn đúng micro ở trên, nói thử và xem thanh mức micro, rồi kiểm tra lại.',
  },
  {
    'check.tab': 'Check',
    'check.title': 'Devices and test',
    'check.attendanceTab': 'Attendance',
    'check.sound': 'Speaker and microphone',
    'check.tone': 'Play a test tone',
    'check.tonePlaying': 'Playing a test tone on the chosen speaker…',
    'check.tonePlayed': 'Test tone played. The room heard nothing? Check that the speaker is on, the right one is chosen and the volume.',
    'check.record': 'Record 3 s and play back',
    'check.recording': 'Recording: speak into the microphone…',
    'check.playingBack': 'Playing back what was recorded…',
    'check.playedBack': 'Played back. You did not hear yourself? Check that the microphone is on and the right one is chosen.',
    'check.noMicrophone': 'No microphone yet: choose one above.',
    'check.soundFailed': 'Sound could not be played: {message}',
    'check.result': 'Result',
    'check.lastTest': 'Last test',
    'check.never': 'Never tested',
    'check.testedAt': 'Tested at {time}',
    'check.figure': 'Figure',
    'check.measured': 'Measured',
    'check.limit': 'Limit',
    'check.pass': 'Pass',
    'check.fail': 'Fail',
    'check.atMost': 'at most {limit} {unit}',
    'check.atLeast': 'at least {limit} {unit}',
    'check.fig.signalling': 'Signalling (round trip)',
    'check.fig.bitrate': 'Rate, {direction}',
    'check.fig.loss': 'Packet loss, {direction}',
    'check.fig.roundTrip': 'Round trip, {direction}',
    'check.fig.jitter': 'Jitter, {direction}',
    'check.fig.microphone': 'Microphone level',
    'check.whatToDo': 'What to do',
    'check.centre': 'Centre',
    'check.advice.signalling_slow':
      'The way to the hub is slow: stop machines and programs that download (updates, ' +
      'backups, video), use a network cable instead of Wi-Fi, then test again.',
    'check.advice.bitrate_low':
      'Not enough bandwidth: use a network cable instead of Wi-Fi, stop other machines using the ' +
      'network; if still low, choose a lower picture quality and call the network provider.',
    'check.advice.loss_high':
      'The network loses packets: use a network cable instead of Wi-Fi, check the cable and ' +
      'the switch; if it still loses packets, call the network provider.',
    'check.advice.round_trip_high': 'High delay: turn off any VPN or proxy, use the office’s direct connection, then test again.',
    'check.advice.jitter_high':
      'The link is unsteady: use a network cable instead of Wi-Fi and do not download large files during the conference.',
    'check.advice.microphone_silent':
      'The microphone is silent: check that it is plugged in and on, choose the ' +
      'right one above, speak and watch the level bar, then test again.',
  },
);
