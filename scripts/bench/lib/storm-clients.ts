// The hub's side of the join storm in a worker thread: the joining points (socket.io clients with plain
// SRTP transports, werift peers) run here, with their own event loop, so that they do not eat the event
// loop of the hub they measure. Gets the storm's parameters as workerData, posts back the samples and
// then the word to close.
import { parentPort, workerData } from 'node:worker_threads';
import { connect, must, type HubClient } from '../../lib/hub-client.ts';
import { newSrtpKey } from '../../lib/srtp.ts';
import { runStorm, type Progress, type StormJoins } from './storm.ts';
import { hubWebRtcReceiver, type WebRtcReceiver } from './webrtc.ts';

export interface StormClientsInput {
  url: string;
  tokens: string[];
  points: number;
  windowS: number;
  webrtc: number;
  timeoutMs: number;
}

const input = workerData as StormClientsInput;
const clients: HubClient[] = [];
const receivers: WebRtcReceiver[] = [];

const open = async (index: number, progress: Progress): Promise<HubClient> => {
  progress.step = 'connect';
  const client = await connect(input.url, { token: input.tokens[index % input.tokens.length] as string });
  clients.push(client);
  return client;
};

const joins: StormJoins = {
  join: async (index, port, progress) => {
    const client = await open(index, progress);
    client.socket.on('media.consumer', (c) => void client.request('media.resumeConsumer', { consumerId: c.consumerId }));
    progress.step = 'setCapabilities';
    await must(client.request('media.setCapabilities', { rtpCapabilities: client.welcome.routerRtpCapabilities }));
    progress.step = 'createTransport';
    const recv = await must(client.request('media.createTransport', { direction: 'recv', type: 'plain' }));
    progress.step = 'connectTransport';
    await must(client.request('media.connectTransport', { transportId: recv.id, ip: '127.0.0.1', port, srtpParameters: newSrtpKey() }));
    progress.step = 'consumers pushed';
  },
  joinWebRtc: async (index, progress) => {
    const client = await open(index, progress);
    progress.step = 'webrtc';
    const r = await hubWebRtcReceiver(client, 2, input.timeoutMs);
    receivers.push(r);
    return r;
  },
};

// One connection before the storm, not measured: the thread's first one pays for compiling the client code.
const warm = await connect(input.url, { token: input.tokens.at(-1) as string });
await must(warm.request('media.setCapabilities', { rtpCapabilities: warm.welcome.routerRtpCapabilities }));
warm.close();

const samples = await runStorm(joins, input.points, input.windowS, input.webrtc, input.timeoutMs);
parentPort?.postMessage({ samples });
parentPort?.once('message', () => {
  void Promise.all(receivers.map((r) => r.close())).then(() => {
    for (const c of clients) c.close();
    parentPort?.postMessage({ closed: true });
  });
});
