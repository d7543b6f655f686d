// The recorder process, started by the hub (server/recording/supervisor.ts) with its orders in the
// environment: where the hub is, the recorder credential, the recordings folder, the mix's bitrate. It stops
// gracefully on SIGTERM (files finished), and by itself when the hub that started it is gone.
import pino from 'pino';
import { Recorder } from './recorder.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`recorder: ${name} is not set\n`);
    process.exit(2);
  }
  return value;
};

const log = pino({ level: process.env['DIEMCAU_RECORDER_LOG_LEVEL'] ?? 'info', base: { part: 'recorder' } }, pino.destination(2));
const recorder = new Recorder({
  hubUrl: env('DIEMCAU_RECORDER_HUB'),
  token: env('DIEMCAU_RECORDER_TOKEN'),
  dir: env('DIEMCAU_RECORDER_DIR'),
  videoKbps: Number(process.env['DIEMCAU_RECORDER_VIDEO_KBPS'] ?? 3000),
  log,
  onStopped: () => process.exit(1),
});

let stopping = false;
const stop = (why: string): void => {
  if (stopping) return;
  stopping = true;
  log.info({ why }, 'stopping');
  recorder.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
// The hub that started us is gone (we were handed to init): finish the files and go.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop('the hub is gone');
}, 1000).unref();

recorder.start().catch((error: unknown) => {
  log.error({ err: error }, 'the recorder could not start');
  process.exit(1);
});
