// The hub: one HTTP port serving the REST routes, the browser client and socket.io, over a pool of
// mediasoup workers. createHub() starts the workers first, so a hub that exists can carry media. With
// tls.cert and tls.key configured the same port serves HTTPS and WSS instead.
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { ConfigError, type Config } from '../config/config.ts';
import { CredentialIssuer } from './auth/credentials.ts';
import { ConferenceRegistry, DEMO_DIR as demoDir, loadSpecs } from './conference/registry.ts';
import { apiRouter } from './http/api.ts';
import { healthRouter } from './http/health.ts';
import { securityHeaders } from './http/security.ts';
import type { Logger } from './logger.ts';
import { WorkerPool } from './media/worker-pool.ts';
import { BackchannelStore } from './store/backchannel.ts';
import { ProgrammeStore } from './store/programme.ts';
import { RecordingStore } from './store/recording.ts';
import { RecordingService } from './recording/service.ts';
import { ConferenceStore } from './store/conferences.ts';
import { Database } from './store/db.ts';
import { RecordStore } from './store/records.ts';
import { createSocketServer, type HubSocketServer } from './signal/socket-server.ts';
import { joinCascade } from './cascade/join.ts';
import type { HubRegistry } from './cascade/registry.ts';

/** The browser client as built by Vite (scripts/setup.sh builds it). */
const clientDir = fileURLToPath(new URL('../dist/client/', import.meta.url));

export interface Hub {
  readonly app: Express;
  readonly httpServer: HttpServer;
  readonly io: HubSocketServer;
  readonly workers: WorkerPool;
  readonly conferences: ConferenceRegistry;
  readonly credentials: CredentialIssuer;
  readonly db: Database;
  readonly recording: RecordingService;
  /** This hub's entry in the cascade's registry (Redis); undefined for a hub alone (role single). */
  cascade: HubRegistry | undefined;
  listen(): Promise<AddressInfo>;
  /** Stops accepting, ends sessions, closes conferences and workers. Safe to call twice. */
  close(reason: string): Promise<void>;
}

/** Reads the PEM files named by tls.cert and tls.key; a missing one stops the start with the key named. */
function readTls(tls: Config['tls']): { cert: Buffer; key: Buffer } {
  const read = (file: string, key: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ConfigError(`${key}: cannot read ${file}: ${(error as Error).message}`);
    }
  };
  return { cert: read(tls.cert, 'tls.cert'), key: read(tls.key, 'tls.key') };
}

export async function createHub(config: Config, logger: Logger): Promise<Hub> {
  const tls = config.tls.cert ? readTls(config.tls) : undefined;
  const workers = await WorkerPool.start({ count: config.media.workers, logLevel: config.media.workerLogLevel }, logger);
  const db = new Database(config.dataDir);
  const stores = {
    conferences: new ConferenceStore(db),
    records: new RecordStore(db),
    backchannel: new BackchannelStore(db),
    programme: new ProgrammeStore(db),
  };
  const conferences = new ConferenceRegistry(workers, config.media, stores, logger);
  const credentials = new CredentialIssuer(db, config.auth.secret);
  const recordingStore = new RecordingStore(db);
  const recording = new RecordingService(
    config,
    { registry: conferences, credentials, recording: recordingStore, records: stores.records },
    logger,
  );
  if (config.demo) for (const spec of loadSpecs(demoDir)) conferences.seed(spec);
  conferences.openAll();
  logger.info({ database: db.file, schema: db.version, conferences: conferences.list().length }, 'store opened');

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(healthRouter(workers));
  app.use('/api', apiRouter({ config, conferences, credentials, db, records: stores.records, recording, logger }));
  app.use(express.static(clientDir, { index: 'index.html' }));

  const httpServer = tls ? createHttpsServer(tls, app) : createServer(app);
  const io = createSocketServer(
    httpServer,
    { registry: conferences, credentials, recording, logger },
    { ...config.limits, allowedOrigins: config.http.allowedOrigins, turn: config.turn },
  );

  let closing: Promise<void> | undefined;

  const hub: Hub = {
    app,
    httpServer,
    io,
    workers,
    conferences,
    credentials,
    db,
    recording,
    cascade: undefined,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          logger.info({ host: address.address, port: address.port, tls: Boolean(config.tls.cert) }, 'hub listening');
          // The recorders reach the hub over loopback.
          const scheme = config.tls.cert ? 'https' : 'http';
          const wildcard = address.address === '0.0.0.0' || address.address === '::';
          const ip = wildcard ? '127.0.0.1' : address.address.includes(':') ? `[${address.address}]` : address.address;
          recording.start(`${scheme}://${ip}:${address.port}`).then(
            () => {
              hub.cascade = joinCascade(config, address, logger);
              resolve(address);
            },
            (error: unknown) => reject(error),
          );
        });
      }),
    close: (reason) => {
      closing ??= (async () => {
        logger.info({ reason }, 'hub closing');
        await hub.cascade?.close();
        await recording.close();
        await conferences.close();
        await new Promise<void>((resolve) => {
          io.close(() => resolve());
          httpServer.closeAllConnections();
        });
        await workers.close();
        db.close();
        logger.info({ reason }, 'hub closed');
      })();
      return closing;
    },
  };
  return hub;
}
