// One pino logger for the process; modules take children bound to their ids
// (logger.child({ conferenceId, pointId })) so ids travel as fields, never in message text.
import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.ts';

export type { Logger };

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>): Logger {
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && process.stdout.isTTY === true);
  return pino({
    level: config.logLevel,
    base: { service: 'diemcau' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'service' } } } : {}),
  });
}
