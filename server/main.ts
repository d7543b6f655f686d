// Entry point: `npm start` runs this after scripts/setup.sh has made sure a worker binary exists.
import { ConfigError, loadConfig } from '../config/config.ts';
import { LIMITS } from '../shared/rules.ts';
import { createHub, type Hub } from './hub.ts';
import { createLogger, type Logger } from './logger.ts';
import { WorkerUnavailableError } from './media/worker-pool.ts';

/** Issues a host join code per demo conference, so that a newcomer can walk in as the host. */
async function announceDemo(hub: Hub, port: number, tls: boolean, logger: Logger): Promise<void> {
  for (const conference of hub.conferences.list()) {
    const claims = { conferenceId: conference.id, pointId: conference.spec.centralPointId, role: 'host' as const };
    const { code } = await hub.credentials.issue(claims, LIMITS.tokenTtlSecondsDefault);
    const url = `${tls ? 'https' : 'http'}://localhost:${port}/`;
    logger.info({ conferenceId: conference.id, points: conference.spec.points.length, hostCode: code, url }, 'demo conference ready');
  }
}

/** Where offices prepare conferences, and how to make the first organiser account when there is none. */
function announceOrganiserPage(hub: Hub, port: number, tls: boolean, logger: Logger): void {
  const url = `${tls ? 'https' : 'http'}://localhost:${port}/organiser.html`;
  const { n } = hub.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM organisers') ?? { n: 0 };
  if (n > 0) return void logger.info({ url, accounts: n }, 'organiser page');
  const command = 'npm run cli -- organiser add <username> --name "<display name>" --admin';
  logger.info({ url, command }, 'organiser page: no account yet, create the first one with the CLI');
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`diemcau: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  const logger = createLogger(config);

  let hub: Hub;
  try {
    hub = await createHub(config, logger);
    const { port } = await hub.listen();
    if (config.demo) await announceDemo(hub, port, Boolean(config.tls.cert), logger);
    announceOrganiserPage(hub, port, Boolean(config.tls.cert), logger);
  } catch (error) {
    if (error instanceof WorkerUnavailableError) {
      logger.fatal(error.message);
    } else {
      logger.fatal({ err: error }, 'hub failed to start');
    }
    process.exitCode = 1;
    return;
  }

  let stopping = false;
  const stop = (reason: string, code: number): void => {
    if (stopping) {
      logger.warn({ reason }, 'second stop request: exiting at once');
      process.exit(1);
    }
    stopping = true;
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    hub.close(reason).then(
      () => process.exit(code),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };

  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    stop('uncaughtException', 1);
  });
  process.on('unhandledRejection', (error) => {
    logger.fatal({ err: error }, 'unhandled rejection');
    stop('unhandledRejection', 1);
  });
}

await main();
