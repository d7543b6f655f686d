// Hub configuration: embedded defaults (config/default.json), then an optional JSON file named by
// DIEMCAU_CONFIG, then environment variables. The merged result is parsed with zod once at start; a bad
// value throws ConfigError naming the key (and the variable it came from) so the process stops with a
// message a technician can act on.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { z } from 'zod';

const defaultsUrl = new URL('./default.json', import.meta.url);

const port = z.coerce.number().int().min(0).max(65535);

export const ConfigSchema = z
  .object({
    host: z.string().min(1),
    port,
    /**
     * The hub's address as people open it (scheme://host[:port], no path): join links and QR codes printed by
     * the CLI. "auto": http(s)://<host, or this machine's first external IPv4 for a wildcard>:<port>.
     */
    publicUrl: z.union([
      z.literal('auto'),
      z
        .url({ protocol: /^https?$/ })
        .refine((u) => new URL(u).pathname === '/' && !new URL(u).search, 'must be scheme://host[:port] without a path'),
    ]),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    /** auto: pretty when stdout is a terminal, JSON lines otherwise. */
    logFormat: z.enum(['auto', 'pretty', 'json']),
    shutdownTimeoutMs: z.coerce.number().int().min(100).max(120_000),
    /** Folder of the database file and uploaded documents (relative paths from the working directory). */
    dataDir: z.string().min(1),
    /** Load the demo conferences of config/demo/ at start. */
    demo: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]),
    auth: z
      .object({
        /** Signs join tokens; "auto" draws a random secret at start (tokens then die with the process). */
        secret: z.union([z.literal('auto'), z.string().min(32, 'must be "auto" or at least 32 characters')]),
      })
      .strict(),
    limits: z
      .object({
        /** Requests a second per point and role; more are answered rate_limited. */
        requestsPerSecond: z.coerce.number().int().min(1).max(10_000),
        /** Connection attempts a minute from one address. */
        joinsPerMinutePerAddress: z.coerce.number().int().min(1).max(100_000),
        /** Largest socket message; larger ones close the connection. */
        maxMessageBytes: z.coerce
          .number()
          .int()
          .min(1024)
          .max(16 * 1024 * 1024),
        /** Questions submitted, and floor requests, a minute from one point (each counted on its own). */
        pointActionsPerMinute: z.coerce.number().int().min(1).max(100_000),
        /** Refused credentials (wrong code or token) from one address in 10 minutes before it is refused outright. */
        failedAuthPer10Minutes: z.coerce.number().int().min(1).max(100_000),
      })
      .strict(),
    http: z
      .object({
        /**
         * Browser origins (scheme://host:port) allowed to call the REST API and open the socket from other
         * pages; the hub's own pages need none. Empty: cross-origin browser requests are refused.
         */
        allowedOrigins: z.union([
          z.array(z.string().min(1)),
          z.string().transform((v) =>
            v
              .split(',')
              .map((o) => o.trim())
              .filter((o) => o.length > 0),
          ),
        ]),
      })
      .strict(),
    tls: z
      .object({
        /** PEM certificate chain and key: when both are set the hub serves HTTPS and WSS on its port. */
        cert: z.string(),
        key: z.string(),
      })
      .strict()
      .refine((t) => (t.cert === '') === (t.key === ''), { path: ['key'], message: 'tls.cert and tls.key go together' }),
    turn: z
      .object({
        /** turn:host:port?transport=udp / turns:… addresses for clients; empty: no TURN. */
        urls: z
          .union([
            z.array(z.string().regex(/^turns?:/, 'must start with turn: or turns:')),
            z.string().transform((v) =>
              v
                .split(',')
                .map((u) => u.trim())
                .filter((u) => u.length > 0),
            ),
          ])
          .pipe(z.array(z.string().regex(/^turns?:/, 'must start with turn: or turns:'))),
        /** coturn's static-auth-secret (use-auth-secret): credentials are derived from it per point. */
        secret: z.string(),
        ttlSeconds: z.coerce
          .number()
          .int()
          .min(60)
          .max(7 * 86_400),
        /** Clients use relayed candidates only. */
        relayOnly: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]),
      })
      .strict()
      .refine((t) => t.urls.length === 0 || t.secret.length >= 16, {
        path: ['secret'],
        message: 'at least 16 characters when turn.urls is set',
      }),
    media: z
      .object({
        /** mediasoup workers (one per core); "auto" = the number of cores. */
        workers: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(128)]),
        workerLogLevel: z.enum(['debug', 'warn', 'error', 'none']),
        listenIp: z.union([z.ipv4(), z.ipv6()]),
        /** Address given to clients in ICE candidates; "auto" picks this machine's first external IPv4. */
        announcedAddress: z.string().min(1),
        rtcMinPort: port.refine((p) => p >= 1024, 'must be 1024 or above'),
        rtcMaxPort: port,
        /** Receivers that show a stage consume the first points of the floor queue ahead, paused (fast floor switches). */
        standby: z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]).default(true),
      })
      .strict()
      .refine((m) => m.rtcMinPort <= m.rtcMaxPort, {
        path: ['rtcMaxPort'],
        message: 'must not be below rtcMinPort',
      }),
    recording: z
      .object({
        /** Where recordings, clips, tracks and the press page's HLS go; relative paths are under dataDir. */
        dir: z.string().min(1).default('recordings'),
        /** A recording is refused to start (and the console warns) below this much free disk. */
        minFreeMb: z.coerce.number().int().min(0).default(2048),
        /** The programme mix's video bitrate (kbit/s) at 1280×720, 25 fps. */
        videoKbps: z.coerce.number().int().min(500).max(20_000).default(3000),
        /** The hub starts its recorder process when a conference needs one; false: never (no ffmpeg here). */
        enabled: z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]).default(true),
      })
      .strict()
      .default({ dir: 'recordings', minFreeMb: 2048, videoKbps: 3000, enabled: true }),
    cascade: z
      .object({
        /** single: one hub, no Redis (the default); origin: the central point's hub; edge: a provincial or regional hub. */
        role: z.enum(['single', 'origin', 'edge']).default('single'),
        /** Redis for the hub registry (and, later, messages across hubs), e.g. redis://127.0.0.1:6379. */
        redisUrl: z.string().default(''),
        /** The hub's region (a province's or region's name), shown in the registry. */
        region: z.string().max(100).default(''),
        /** This hub's id in the registry; auto = the host name and port. */
        hubId: z
          .string()
          .regex(/^[A-Za-z0-9._:-]{1,100}$/)
          .default('auto'),
      })
      .strict()
      .refine((c) => c.role === 'single' || /^rediss?:\/\//.test(c.redisUrl), {
        path: ['redisUrl'],
        message: 'an origin or edge hub needs a redis:// address',
      })
      .default({ role: 'single', redisUrl: '', region: '', hubId: 'auto' }),
  })
  .strict();

export type RawConfig = z.infer<typeof ConfigSchema>;

/** The configuration the hub runs with: "auto" values resolved. */
export interface Config extends Omit<RawConfig, 'media'> {
  media: Omit<RawConfig['media'], 'workers' | 'announcedAddress'> & {
    workers: number;
    announcedAddress: string | undefined;
  };
}

/** Environment variable → dotted config key. */
export const ENV_KEYS = {
  DIEMCAU_HOST: 'host',
  DIEMCAU_PORT: 'port',
  DIEMCAU_PUBLIC_URL: 'publicUrl',
  DIEMCAU_LOG_LEVEL: 'logLevel',
  DIEMCAU_LOG_FORMAT: 'logFormat',
  DIEMCAU_SHUTDOWN_TIMEOUT_MS: 'shutdownTimeoutMs',
  DIEMCAU_DATA_DIR: 'dataDir',
  DIEMCAU_DEMO: 'demo',
  DIEMCAU_AUTH_SECRET: 'auth.secret',
  DIEMCAU_REQUESTS_PER_SECOND: 'limits.requestsPerSecond',
  DIEMCAU_JOINS_PER_MINUTE: 'limits.joinsPerMinutePerAddress',
  DIEMCAU_MAX_MESSAGE_BYTES: 'limits.maxMessageBytes',
  DIEMCAU_POINT_ACTIONS_PER_MINUTE: 'limits.pointActionsPerMinute',
  DIEMCAU_FAILED_AUTH_PER_10_MINUTES: 'limits.failedAuthPer10Minutes',
  DIEMCAU_ALLOWED_ORIGINS: 'http.allowedOrigins',
  DIEMCAU_TLS_CERT: 'tls.cert',
  DIEMCAU_TLS_KEY: 'tls.key',
  DIEMCAU_TURN_URLS: 'turn.urls',
  DIEMCAU_TURN_SECRET: 'turn.secret',
  DIEMCAU_TURN_TTL_SECONDS: 'turn.ttlSeconds',
  DIEMCAU_TURN_RELAY_ONLY: 'turn.relayOnly',
  DIEMCAU_WORKERS: 'media.workers',
  DIEMCAU_WORKER_LOG_LEVEL: 'media.workerLogLevel',
  DIEMCAU_LISTEN_IP: 'media.listenIp',
  DIEMCAU_ANNOUNCED_ADDRESS: 'media.announcedAddress',
  DIEMCAU_RTC_MIN_PORT: 'media.rtcMinPort',
  DIEMCAU_RTC_MAX_PORT: 'media.rtcMaxPort',
  DIEMCAU_STANDBY: 'media.standby',
  DIEMCAU_RECORDING_DIR: 'recording.dir',
  DIEMCAU_RECORDING_MIN_FREE_MB: 'recording.minFreeMb',
  DIEMCAU_RECORDING_VIDEO_KBPS: 'recording.videoKbps',
  DIEMCAU_RECORDING: 'recording.enabled',
  DIEMCAU_HUB_ROLE: 'cascade.role',
  DIEMCAU_REDIS_URL: 'cascade.redisUrl',
  DIEMCAU_REGION: 'cascade.region',
  DIEMCAU_HUB_ID: 'cascade.hubId',
} as const;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Tree = { [key: string]: unknown };

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeInto(target: Tree, source: Tree): void {
  for (const [key, value] of Object.entries(source)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const current = target[key];
    if (isTree(current) && isTree(value)) mergeInto(current, value);
    else target[key] = value;
  }
}

function readJson(file: string | URL, what: string): Tree {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read ${what} ${String(file)}: ${(error as Error).message}`);
  }
  if (!isTree(parsed)) throw new ConfigError(`${what} ${String(file)} must hold a JSON object`);
  return parsed;
}

function setPath(tree: Tree, dotted: string, value: string): void {
  const keys = dotted.split('.');
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    if (!isTree(node[key])) node[key] = {};
    node = node[key] as Tree;
  }
  node[keys[keys.length - 1] as string] = value;
}

function firstExternalIpv4(): string | undefined {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

function resolveAnnounced(media: RawConfig['media']): string | undefined {
  if (media.announcedAddress !== 'auto') return media.announcedAddress;
  // A specific listen address is reachable as itself; only a wildcard needs a public face.
  if (media.listenIp !== '0.0.0.0' && media.listenIp !== '::') return undefined;
  return firstExternalIpv4() ?? '127.0.0.1';
}

/** The public base URL without a trailing slash: the configured one, or one made from TLS, host and port. */
function resolvePublicUrl(raw: RawConfig): string {
  if (raw.publicUrl !== 'auto') return raw.publicUrl.replace(/\/+$/, '');
  const scheme = raw.tls.cert ? 'https' : 'http';
  const wildcard = raw.host === '0.0.0.0' || raw.host === '::';
  const host = wildcard ? (firstExternalIpv4() ?? '127.0.0.1') : raw.host;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${raw.port}`;
}

/** Loads and validates the configuration; throws ConfigError naming the offending key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const merged = readJson(defaultsUrl, 'default configuration');
  if (env.DIEMCAU_CONFIG) mergeInto(merged, readJson(env.DIEMCAU_CONFIG, 'configuration file'));
  const fromEnv = new Map<string, string>();
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(merged, key, value);
    fromEnv.set(key, name);
  }

  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(root)';
      const source = fromEnv.has(key) ? ` (from ${fromEnv.get(key)})` : '';
      return `  ${key}${source}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }

  const raw = result.data;
  return {
    ...raw,
    publicUrl: resolvePublicUrl(raw),
    media: {
      ...raw.media,
      workers: raw.media.workers === 'auto' ? os.availableParallelism() : raw.media.workers,
      announcedAddress: resolveAnnounced(raw.media),
    },
  };
}
