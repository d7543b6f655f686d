// The one boundary every client request crosses: rate limit, parse with zod, check the role against the
// protocol table, run the handler, answer with a Result envelope. Failures that are not HubErrors are
// bugs: logged with their detail, answered as a generic internal error.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Socket } from 'socket.io';
import { requests, type RequestName, type Result } from '../../shared/protocol.ts';
import { describeIssue, issueField, refuse, toWireError, wireError } from '../errors.ts';
import { handlers, type HandlerContext } from './handlers.ts';

export interface RegistrarOptions {
  /** Requests a second allowed per point and role (bursts up to this many). */
  requestsPerSecond: number;
  /** Each of FLOOD_LIMITED a minute per point, whatever role sends it. */
  pointActionsPerMinute: number;
}

/** Requests that put something before the host: a point flooding them would bury everyone else's. */
export const FLOOD_LIMITED: readonly RequestName[] = ['question.submit', 'floor.request'];

/** Deepest nesting a payload may have; the protocol's own messages stay below 10. */
const MAX_DEPTH = 32;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A payload as plain JSON data, cleaned: objects with the ordinary prototype (or none), arrays and
 * primitives, nested at most MAX_DEPTH, with NUL characters removed from every string and key (SQLite
 * text ends at a NUL: a question stored with one would lose the rest) and lone surrogates made U+FFFD.
 * socket.io rebuilds binary attachments by assignment, so `{"__proto__": <binary>}` arrives as an object
 * whose *prototype* is a Buffer and no own key: zod's strict check would see an empty object. Such
 * payloads, and any binary, are refused: the answer is the reason.
 */
export function cleanPayload(raw: unknown): { value: unknown } | { reason: string } {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what must go (SQLite text ends at it).
  const clean = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD').replace(/\u0000/g, '');
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return clean(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) throw new Error(`nested deeper than ${MAX_DEPTH}`);
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1));
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new Error('binary data or a non-plain object');
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty keeps a `__proto__` key an own property, so the strict schemas still refuse it.
      Object.defineProperty(out, clean(key), { value: walk(item, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  try {
    return { value: walk(raw, 0) };
  } catch (error) {
    return { reason: (error as Error).message };
  }
}

export function createRegistrar(options: RegistrarOptions) {
  const limiter = new RateLimiterMemory({ points: options.requestsPerSecond, duration: 1 });
  const actions = new RateLimiterMemory({ points: options.pointActionsPerMinute, duration: 60 });

  return function register(socket: Socket, ctx: HandlerContext): void {
    const { session } = ctx;
    const limitKey = `${ctx.conference.id}:${session.pointId}:${session.role}`;
    const names = Object.keys(requests) as RequestName[];

    for (const name of names) {
      socket.on(name, async (...args: unknown[]) => {
        // socket.io passes the acknowledgement last; the payload must be the one argument before it.
        const ack = args[args.length - 1];
        if (typeof ack !== 'function') {
          session.logger.warn({ request: name }, 'request without acknowledgement callback ignored');
          return;
        }
        const reply = ack as (result: Result<unknown>) => void;
        const raw = args[0];
        try {
          if (args.length !== 2) throw refuse('request.arguments', { request: name }, `${name}: send one payload and an acknowledgement`);
          await limiter.consume(limitKey).catch(() => {
            throw refuse('rate.requests', {}, 'too many requests from this point; slow down');
          });
          const spec = requests[name];
          const cleaned = cleanPayload(raw);
          if ('reason' in cleaned) {
            throw refuse('request.not_plain', { request: name }, `${name}: the payload must be plain JSON (${cleaned.reason})`);
          }
          const parsed = spec.params.safeParse(cleaned.value);
          if (!parsed.success) {
            throw refuse('request.malformed', { request: name, field: issueField(parsed.error) }, describeIssue(parsed.error, name));
          }
          if (!(spec.roles as readonly string[]).includes(session.role)) {
            throw refuse('request.role', { request: name, role: session.role }, `${name} is not allowed for role ${session.role}`);
          }
          if (FLOOD_LIMITED.includes(name)) {
            await actions.consume(`${name}:${ctx.conference.id}:${session.pointId}`).catch(() => {
              const perMinute = options.pointActionsPerMinute;
              throw refuse(
                'rate.point_actions',
                { request: name, perMinute },
                `too many ${name} from this point; at most ${perMinute} a minute`,
              );
            });
          }
          const handler = handlers[name] as (c: HandlerContext, p: unknown) => unknown;
          reply({ ok: true, data: await handler(ctx, parsed.data) });
        } catch (error) {
          const { wire, internal } = toWireError(error);
          if (internal) session.logger.error({ err: error, request: name }, 'request failed');
          else session.logger.debug({ request: name, code: wire.code, reason: wire.reason, detail: wire.message }, 'request refused');
          reply({ ok: false, error: wire });
        }
      });
    }

    // Anything not in the protocol gets a typed answer when the client waits for one.
    socket.onAny((event: string, ...args: unknown[]) => {
      if ((names as string[]).includes(event)) return;
      const ack = args[args.length - 1];
      if (typeof ack === 'function') {
        (ack as (r: Result<never>) => void)({
          ok: false,
          error: wireError('request.unknown', { request: event }, `unknown request ${event}`),
        });
      }
    });
  };
}
