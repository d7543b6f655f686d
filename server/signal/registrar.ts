// The one boundary every client request crosses: rate limit, parse with zod, check the role against the
// protocol table, run the handler, answer with a Result envelope. Failures that are not HubErrors are
// bugs: logged with their detail, answered as a generic internal error.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Socket } from 'socket.io';
import { requests, type RequestName, type Result } from '../../shared/protocol.ts';
import { describeIssue, forbidden, invalid, rateLimited, toWireError } from '../errors.ts';
import { handlers, type HandlerContext } from './handlers.ts';

export interface RegistrarOptions {
  /** Requests a second allowed per point and role (bursts up to this many). */
  requestsPerSecond: number;
  /** Each of FLOOD_LIMITED a minute per point, whatever role sends it. */
  pointActionsPerMinute: number;
}

/** Requests that put something before the host: a point flooding them would bury everyone else's. */
export const FLOOD_LIMITED: readonly RequestName[] = ['question.submit', 'floor.request'];

export function createRegistrar(options: RegistrarOptions) {
  const limiter = new RateLimiterMemory({ points: options.requestsPerSecond, duration: 1 });
  const actions = new RateLimiterMemory({ points: options.pointActionsPerMinute, duration: 60 });

  return function register(socket: Socket, ctx: HandlerContext): void {
    const { session } = ctx;
    const limitKey = `${ctx.conference.id}:${session.pointId}:${session.role}`;
    const names = Object.keys(requests) as RequestName[];

    for (const name of names) {
      socket.on(name, async (raw: unknown, ack: unknown) => {
        if (typeof ack !== 'function') {
          session.logger.warn({ request: name }, 'request without acknowledgement callback ignored');
          return;
        }
        const reply = ack as (result: Result<unknown>) => void;
        try {
          await limiter.consume(limitKey).catch(() => {
            throw rateLimited('too many requests from this point; slow down');
          });
          const spec = requests[name];
          const parsed = spec.params.safeParse(raw);
          if (!parsed.success) throw invalid(describeIssue(parsed.error, name));
          if (!(spec.roles as readonly string[]).includes(session.role)) {
            throw forbidden(`${name} is not allowed for role ${session.role}`);
          }
          if (FLOOD_LIMITED.includes(name)) {
            await actions.consume(`${name}:${ctx.conference.id}:${session.pointId}`).catch(() => {
              throw rateLimited(`too many ${name} from this point; at most ${options.pointActionsPerMinute} a minute`);
            });
          }
          const handler = handlers[name] as (c: HandlerContext, p: unknown) => unknown;
          reply({ ok: true, data: await handler(ctx, parsed.data) });
        } catch (error) {
          const { wire, internal } = toWireError(error);
          if (internal) session.logger.error({ err: error, request: name }, 'request failed');
          else session.logger.debug({ request: name, code: wire.code, reason: wire.message }, 'request refused');
          reply({ ok: false, error: wire });
        }
      });
    }

    // Anything not in the protocol gets a typed answer when the client waits for one.
    socket.onAny((event: string, ...args: unknown[]) => {
      if ((names as string[]).includes(event)) return;
      const ack = args[args.length - 1];
      if (typeof ack === 'function') {
        (ack as (r: Result<never>) => void)({ ok: false, error: { code: 'invalid', message: `unknown request ${event}` } });
      }
    });
  };
}
