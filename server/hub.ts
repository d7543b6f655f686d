// The hub: one HTTP port serving the REST routes, the browser client and socket.io, over a pool of
// mediasoup workers. createHub() starts the workers first, so a hub that exists can carry media.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import type { Config } from '../config/config.ts';
import { CredentialIssuer } from './auth/credentials.ts';
import { ConferenceRegistry, loadSpecs } from './conference/registry.ts';
import { healthRouter } from './http/health.ts';
import type { Logger } from './logger.ts';
import { WorkerPool } from './media/worker-pool.ts';
import { createSocketServer, type HubSocketServer } from './signal/socket-server.ts';

const clientDir = fileURLToPath(new URL('../client/', import.meta.url));
const demoDir = fileURLToPath(new URL('../config/demo/', import.meta.url));

export interface Hub {
  readonly app: Express;
  readonly httpServer: HttpServer;
  readonly io: HubSocketServer;
  readonly workers: WorkerPool;
  readonly conferences: ConferenceRegistry;
  readonly credentials: CredentialIssuer;
  listen(): Promise<AddressInfo>;
  /** Stops accepting, ends sessions, closes conferences and workers. Safe to call twice. */
  close(reason: string): Promise<void>;
}

export async function createHub(config: Config, logger: Logger): Promise<Hub> {
  const workers = await WorkerPool.start(
    { count: config.media.workers, logLevel: config.media.workerLogLevel },
    logger,
  );
  const conferences = new ConferenceRegistry(workers, config.media, logger);
  const credentials = new CredentialIssuer(config.auth.secret);
  if (config.demo) for (const spec of loadSpecs(demoDir)) conferences.add(spec);

  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter(workers));
  app.use(express.static(clientDir, { index: 'index.html' }));

  const httpServer = createServer(app);
  const io = createSocketServer(httpServer, { registry: conferences, credentials, logger }, config.limits);

  let closing: Promise<void> | undefined;

  return {
    app,
    httpServer,
    io,
    workers,
    conferences,
    credentials,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          logger.info({ host: address.address, port: address.port }, 'hub listening');
          resolve(address);
        });
      }),
    close: (reason) => {
      closing ??= (async () => {
        logger.info({ reason }, 'hub closing');
        await conferences.close();
        await new Promise<void>((resolve) => {
          io.close(() => resolve());
          httpServer.closeAllConnections();
        });
        await workers.close();
        logger.info({ reason }, 'hub closed');
      })();
      return closing;
    },
  };
}
