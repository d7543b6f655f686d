// A hub that is part of a cascade (config cascade.role origin or edge) registers itself once it listens:
// its id (auto: host name and port), role, region and address. Redis being down at start does not stop
// the hub; the registry connects and writes the entry as soon as Redis answers.
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../config/config.ts';
import type { Logger } from '../logger.ts';
import { HubRegistry } from './registry.ts';

export function joinCascade(config: Config, address: AddressInfo, logger: Logger): HubRegistry | undefined {
  const { role, redisUrl, region, hubId } = config.cascade;
  if (role === 'single') return undefined;
  // The public address as configured (or made from host and port); with port 0 the port is known only now.
  const url = config.port === 0 ? config.publicUrl.replace(/:0$/, `:${address.port}`) : config.publicUrl;
  const id = hubId === 'auto' ? `${hostname()}:${address.port}` : hubId;
  const registry = new HubRegistry({ redisUrl, self: { hubId: id, role, region, url } }, logger);
  registry.start().catch((error: unknown) => logger.error({ err: (error as Error).message }, 'cascade registry did not start'));
  return registry;
}
