// Run inside a test namespace by link.test.ts: sends `count` numbered UDP datagrams to host:port every
// `gapMs`, waits for their echoes, and prints {"sent", "received", "rttMs": [sorted]} as one JSON line.
import { createSocket } from 'node:dgram';

const [host = '', port = '0', count = '200', gapMs = '5'] = process.argv.slice(2);
const socket = createSocket('udp4');
const sentAt = new Map<number, number>();
const rtts: number[] = [];
socket.on('message', (msg) => {
  const seq = msg.readUInt32BE(0);
  const t = sentAt.get(seq);
  if (t !== undefined) {
    rtts.push(performance.now() - t);
    sentAt.delete(seq);
  }
});
let seq = 0;
const timer = setInterval(() => {
  const buf = Buffer.alloc(200);
  buf.writeUInt32BE(seq, 0);
  sentAt.set(seq, performance.now());
  socket.send(buf, Number(port), host);
  if (++seq === Number(count)) {
    clearInterval(timer);
    setTimeout(() => {
      rtts.sort((a, b) => a - b);
      console.log(JSON.stringify({ sent: seq, received: rtts.length, rttMs: rtts.map((r) => Math.round(r * 10) / 10) }));
      socket.close();
    }, 4000); // late echoes on a loaded machine still count
  }
}, Number(gapMs));
