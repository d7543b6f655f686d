// The operator's command line. It opens the hub's database (same data folder, SQLite WAL, so it works
// while the hub runs) without starting any media worker:
//   node server/cli.ts create <spec.json> | points <id> [--codes [--host]] [--ttl-hours N] | code <id> <pointId> [--role R]
//   | revoke <id> <pointId> --role R | report <id> [--html] | recordings <id> | clip <id> <fileId> --from T --to T [--name N]
//   | admin-key | organiser add|list|disable|enable|password ... (cli-organiser.ts)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../config/config.ts';
import type { PointSpec, Role } from '../shared/domain.ts';
import { PersonRole as RoleSchema } from '../shared/requests/credentials.ts';
import { CredentialIssuer } from './auth/credentials.ts';
import { ORGANISER_USAGE, organiserCommand } from './cli-organiser.ts';
import { HubError } from './errors.ts';
import { rotateAdminKey } from './http/admin-key.ts';
import { parseConferenceSpec } from './conference/spec.ts';
import { chaptersOf, spansOf } from './recording/chapters.ts';
import { RecordingFiles } from './recording/recording-files.ts';
import { recordingsRoot } from './recording/service.ts';
import { renderReportHtml } from './report/html.ts';
import { mediaClock } from './report/recording.ts';
import { buildReport } from './report/report.ts';
import { ConferenceStore, type StoredConference } from './store/conferences.ts';
import { Database } from './store/db.ts';
import { RecordingStore, type StoredFile } from './store/recording.ts';
import { RecordStore } from './store/records.ts';

const USAGE = `diemcau operator commands

  create <spec.json>                      validate a conference spec (JSON) and store it; prints its id
  points <conferenceId> [--codes [--host]] [--ttl-hours N]
                                          list the points (level, parent); with --codes issue a fresh
                                          operator code (cohost / technician), viewer code and, at remote
                                          points, secretary code for each point, and print their join
                                          links (publicUrl/?code=...). The host code only with --host.
                                          Codes are stored hashed: print them now or never.
                                          --ttl-hours: validity of the codes (default 48, at most 720)
  code <conferenceId> <pointId> [--role R] [--ttl-hours N]
                                          issue one fresh code for a point (role: its operator role
                                          by default; host, cohost, technician, secretary or viewer).
                                          Codes of the roles that act are good for one join: a PC that
                                          was replaced, or lost its stored session, needs a new one
  revoke <conferenceId> <pointId> --role R
                                          revoke every code and token of that point and role (a lost
                                          or stolen PC); issue a new code after
  report <conferenceId> [--html]          the conference report as JSON, or as a printable HTML page
  recordings <conferenceId>               the recording's files (kind, segment, start, duration, size,
                                          SHA-256) and its chapters (turns, agenda items, questions
                                          answered live) with their place in the programme files
  clip <conferenceId> <fileId> --from T --to T [--name N]
                                          cut a clip of a closed programme file without re-encoding
                                          (T: hh:mm:ss, mm:ss or seconds into the file); it starts at the
                                          key frame at or before --from (at most 2 s early). The hub need
                                          not run; a running hub lists the clip once it restarts
  admin-key                               create or rotate the admin key for the REST API (shown once)
${ORGANISER_USAGE}

Uses the hub's configuration (DIEMCAU_DATA_DIR, DIEMCAU_CONFIG, ...); safe to run while the hub runs.`;

class UsageError extends Error {}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs one command; returns the exit code. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        codes: { type: 'boolean', default: false },
        host: { type: 'boolean', default: false },
        'ttl-hours': { type: 'string' },
        html: { type: 'boolean', default: false },
        role: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        name: { type: 'string' },
        admin: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.err(`diemcau: ${(error as Error).message}\n\n${USAGE}\n`);
    return 1;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || command === 'help') {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (!command) {
    io.err(`${USAGE}\n`);
    return 1;
  }

  let db: Database | undefined;
  try {
    const config = loadConfig(env);
    const open = (): Database => (db ??= new Database(config.dataDir));
    switch (command) {
      case 'create':
        io.out(`${create(open(), one(args, 'create <spec.json>'))}\n`);
        return 0;
      case 'points': {
        const id = one(args, 'points <conferenceId>');
        const ttlHours = values['ttl-hours'] === undefined ? 48 : hours(values['ttl-hours']);
        if (values['ttl-hours'] !== undefined && !values.codes) throw new UsageError('--ttl-hours goes with --codes');
        if (values.host && !values.codes) throw new UsageError('--host goes with --codes');
        const codes = values.codes ? { ttlHours, host: values.host, publicUrl: config.publicUrl } : null;
        io.out(await points(open(), config.auth.secret, id, codes));
        return 0;
      }
      case 'code': {
        if (args.length !== 2) throw new UsageError('usage: code <conferenceId> <pointId> [--role R] [--ttl-hours N]');
        const ttlHours = values['ttl-hours'] === undefined ? 48 : hours(values['ttl-hours']);
        io.out(await issueOne(open(), config.auth.secret, args[0] as string, args[1] as string, values.role, ttlHours));
        return 0;
      }
      case 'revoke': {
        if (args.length !== 2 || values.role === undefined) throw new UsageError('usage: revoke <conferenceId> <pointId> --role R');
        const [id, pointId] = args as [string, string];
        const role = roleOf(values.role);
        point(load(open(), id).spec, pointId);
        const count = new CredentialIssuer(open(), config.auth.secret).revoke(id, pointId, role);
        io.out(`${count} credential(s) of ${pointId} (${role}) revoked\n`);
        return 0;
      }
      case 'report': {
        const stored = load(open(), one(args, 'report <conferenceId>'));
        const stores = { store: new RecordStore(open()), recording: new RecordingStore(open()) };
        const report = buildReport({ spec: stored.spec, status: stored.status, ...stores });
        io.out(values.html ? renderReportHtml(report) : `${JSON.stringify(report, null, 2)}\n`);
        return 0;
      }
      case 'recordings':
        io.out(recordings(open(), load(open(), one(args, 'recordings <conferenceId>'))));
        return 0;
      case 'clip': {
        if (args.length !== 2 || values.from === undefined || values.to === undefined) {
          throw new UsageError('usage: clip <conferenceId> <fileId> --from T --to T [--name N]');
        }
        const [id, fileId] = args as [string, string];
        const range = { fileId, fromMs: position(values.from, '--from'), toMs: position(values.to, '--to') };
        const request = values.name === undefined ? range : { ...range, name: values.name };
        io.out(await clip(open(), recordingsRoot(config), load(open(), id).spec.id, request));
        return 0;
      }
      case 'admin-key':
        if (args.length > 0) throw new UsageError('admin-key takes no arguments');
        io.out(`${rotateAdminKey(open())}\n`);
        io.err('New admin key above: use it as "Authorization: Bearer <key>". Only its hash is stored; any older key stops working.\n');
        return 0;
      case 'organiser':
        return await organiserCommand(open(), args, { name: values.name, admin: values.admin }, env, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) io.err(`diemcau: ${error.message}\n\n${USAGE}\n`);
    else if (error instanceof ConfigError || error instanceof HubError || error instanceof CliError) io.err(`diemcau: ${error.message}\n`);
    else throw error;
    return 1;
  } finally {
    db?.close();
  }
}

class CliError extends Error {}

function one(args: string[], usage: string): string {
  if (args.length !== 1) throw new UsageError(`usage: ${usage}`);
  return args[0] as string;
}

function hours(text: string): number {
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > 720)
    throw new UsageError('--ttl-hours must be a whole number from 1 to 720');
  return Number(text);
}

function load(db: Database, id: string): StoredConference {
  const stored = new ConferenceStore(db).load(id);
  if (!stored) throw new CliError(`no conference ${id}`);
  return stored;
}

function create(db: Database, file: string): string {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const spec = parseConferenceSpec(raw);
  const store = new ConferenceStore(db);
  if (store.has(spec.id)) throw new CliError(`conference ${spec.id} exists already`);
  store.insert(spec);
  return spec.id;
}

/** Who runs the point's console: host at the centre, co-host at central-side points, a technician elsewhere. */
const operatorRole = (spec: StoredConference['spec'], p: PointSpec): Role =>
  p.id === spec.centralPointId ? 'host' : p.centralSide ? 'cohost' : 'technician';

interface CodesOptions {
  ttlHours: number;
  /** Also the host's code (single use: the console's PC keeps its session, so a new one is rarely needed). */
  host: boolean;
  publicUrl: string;
}

async function points(db: Database, secret: string, id: string, codes: CodesOptions | null): Promise<string> {
  const { spec } = load(db, id);
  const base = (p: PointSpec): string[] => [p.id, p.level, p.parentId ?? '-'];
  if (codes === null)
    return formatTable(
      ['id', 'level', 'parent', 'name'],
      spec.points.map((p) => [...base(p), p.name]),
    );
  const ttl = codes.ttlHours * 3600;
  const remote = (p: PointSpec): boolean => p.id !== spec.centralPointId && !p.centralSide;
  const plan = spec.points.flatMap((p) => {
    const operator = operatorRole(spec, p);
    const roles: Role[] = [
      ...(operator === 'host' && !codes.host ? [] : [operator]),
      'viewer',
      ...(remote(p) ? ['secretary' as const] : []),
    ];
    return roles.map((role) => ({ point: p, role }));
  });
  const issued = await new CredentialIssuer(db, secret).issueMany(
    plan.map(({ point, role }) => ({ conferenceId: id, pointId: point.id, role })),
    ttl,
  );
  const codeOf = new Map(plan.map(({ point, role }, i) => [`${point.id}/${role}`, issued[i]?.code ?? '']));
  const code = (p: PointSpec, role: Role): string => codeOf.get(`${p.id}/${role}`) ?? '-';
  const rows = spec.points.map((p) => {
    const operator = operatorRole(spec, p);
    return [...base(p), operator, code(p, operator), code(p, 'viewer'), code(p, 'secretary'), p.name];
  });
  const links = plan.map(({ point, role }) => [point.id, role, `${codes.publicUrl}/?code=${code(point, role)}`]);
  const until = new Date(Date.now() + ttl * 1000).toISOString();
  const hostNote = codes.host ? '' : 'No host code was issued (add --host for one).\n';
  return (
    formatTable(['id', 'level', 'parent', 'role', 'operator code', 'viewer code', 'secretary code', 'name'], rows) +
    `\nJoin links:\n${formatTable(['id', 'role', 'link'], links)}` +
    `\nCodes valid for ${codes.ttlHours} h (until ${until}). They are stored hashed and cannot be listed again.\n${hostNote}`
  );
}

function roleOf(text: string): Role {
  const parsed = RoleSchema.safeParse(text);
  if (!parsed.success) throw new UsageError(`--role must be one of ${RoleSchema.options.join(', ')}`);
  return parsed.data;
}

function point(spec: StoredConference['spec'], pointId: string): PointSpec {
  const found = spec.points.find((p) => p.id === pointId);
  if (!found) throw new CliError(`no point ${pointId} in conference ${spec.id}`);
  return found;
}

async function issueOne(
  db: Database,
  secret: string,
  id: string,
  pointId: string,
  roleText: string | undefined,
  ttlHours: number,
): Promise<string> {
  const { spec } = load(db, id);
  const p = point(spec, pointId);
  const role = roleText === undefined ? operatorRole(spec, p) : roleOf(roleText);
  const issued = await new CredentialIssuer(db, secret).issue({ conferenceId: id, pointId, role }, ttlHours * 3600);
  const use = role === 'viewer' ? 'reusable until it expires' : 'good for one join';
  return `${issued.code}\n${p.name} (${pointId}), ${role}: ${use}, valid until ${new Date(issued.expiresAt).toISOString()}\n`;
}

/** A time into a file: hh:mm:ss, mm:ss or seconds, each with an optional fraction ("1:02:03.5", "75"). */
function position(text: string, option: string): number {
  const match = /^(?:(?:(\d{1,3}):)?(\d{1,2}):)?(\d{1,6}(?:\.\d{1,3})?)$/.exec(text.trim());
  const [h, m, sec] = [match?.[1], match?.[2], match?.[3]];
  const seconds = Number(sec);
  if (!match || (m !== undefined && seconds >= 60) || Number(m ?? 0) >= 60) {
    throw new UsageError(`${option} must be hh:mm:ss, mm:ss or seconds (e.g. 1:02:03, 75.5)`);
  }
  return Math.round((Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + seconds) * 1000);
}

const iso = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());
const length = (ms: number | null): string => (ms === null ? '-' : mediaClock(ms));

function fileRows(files: readonly StoredFile[]): string {
  return formatTable(
    ['id', 'kind', 'segment', 'start', 'duration', 'bytes', 'sha256', 'name'],
    files.map((f) => [f.id, f.kind, String(f.segment), iso(f.startedAt), length(f.durationMs), String(f.bytes), f.sha256 ?? '-', f.name]),
  );
}

function recordings(db: Database, { spec }: StoredConference): string {
  const files = new RecordingStore(db).files(spec.id);
  const log = new RecordStore(db);
  const programme = files.filter((f) => f.kind === 'programme');
  const numberOf = new Map(programme.map((f, i) => [f.id, i + 1]));
  const chapters = chaptersOf(spansOf(log.events(spec.id), spec, log.questions(spec.id)), files);
  const chapterRows = chapters.map((c) => [
    ...[c.id, c.kind, `file ${numberOf.get(c.fileId) ?? '?'}`, mediaClock(c.startMs), c.endMs === null ? '…' : mediaClock(c.endMs)],
    c.title,
  ]);
  return (
    `Files (${files.length}):\n${files.length ? fileRows(files) : 'none\n'}` +
    `\nChapters (${chapters.length}; "file N" is the Nth programme file above):\n` +
    (chapters.length ? formatTable(['id', 'kind', 'in', 'from', 'to', 'title'], chapterRows) : 'none\n')
  );
}

/**
 * Cuts a clip as the hub does (same checks, name and event-log row, actor null: the operator), waits for the
 * cut and its measures, and prints the clip's row.
 */
async function clip(
  db: Database,
  root: string,
  conferenceId: string,
  request: { fileId: string; fromMs: number; toMs: number; name?: string },
): Promise<string> {
  const store = new RecordingStore(db);
  let failure = '';
  const logger = pino(
    { level: 'warn' },
    { write: (line: string) => (failure = (JSON.parse(line) as { err?: { message?: string } }).err?.message ?? '') },
  );
  let finished = (): void => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const files = new RecordingFiles({
    ...{ conferenceId, root, store, log: new RecordStore(db), logger },
    ...{ recorderRunning: () => false, written: () => ({ segment: 0, ms: 0 }), changed: () => finished() },
  });
  const made = files.clip(null, request, () => []);
  await done;
  const cut = store.file(made.id);
  if (!cut) throw new CliError(`the clip could not be cut: ${failure}`);
  return fileRows([cut]);
}

function formatTable(header: string[], rows: string[][]): string {
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(width[c] ?? 0))).join('  ');
  return `${[line(header), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}

if (import.meta.main) {
  const code = await runCli(process.argv.slice(2), process.env, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
  process.exitCode = code;
}
