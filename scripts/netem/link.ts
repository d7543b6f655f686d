// A network namespace joined to the root namespace by an impaired link, for network-fault tests and
// soak scripts: loss, delay and cuts applied at run time to everything a process inside sends or receives.
//
// Why not `tc qdisc netem` on a veth pair: these kernels have no sch_netem and cannot load it, and there is
// no iptables/nft. So the link is two TUN devices bridged by tun-link.c (compiled on demand, like the
// benchmarks' udp-tool) which applies the impairment in user space. The root side is 10.78.N.1, the
// namespace side 10.78.N.2 with its default route over the link.
//
// Namespaces are named diemcau-<pid>-<N>; the ones left by a process that no longer runs (a crashed test)
// are deleted, with whatever still runs inside, before a new one is made. close() and process exit tear down.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { compiledTool, LineReader } from '../lib/c-tool.ts';

const PREFIX = 'diemcau-';

/** Why network-fault tests cannot run here, or undefined when they can (root and /dev/net/tun). */
export function unsupportedReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'network-fault tests need root (ip netns, TUN devices)';
  try {
    accessSync('/dev/net/tun', constants.R_OK | constants.W_OK);
  } catch {
    return 'network-fault tests need /dev/net/tun';
  }
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'network-fault tests need iproute2 (the ip command)';
  }
  return undefined;
}

/** Path of tun-link, compiled from tun-link.c when missing or older than its source. */
export const tunLinkTool = (): string => compiledTool(new URL('./tun-link.c', import.meta.url), 'netem');

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Whether a process runs (a zombie does not). */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

function namespaces(): string[] {
  return ip('netns', 'list')
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(PREFIX));
}

/** Kills whatever runs in a namespace and deletes it. */
function destroyNamespace(name: string): void {
  try {
    for (const pid of ip('netns', 'pids', name).split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  } catch {
    // no such namespace
  }
  try {
    ip('netns', 'del', name);
  } catch {
    // already gone
  }
}

/** Deletes namespaces left by processes that no longer run. */
export function cleanLeftovers(): string[] {
  const removed: string[] = [];
  for (const name of namespaces()) {
    const pid = Number(name.split('-')[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) {
      destroyNamespace(name);
      removed.push(name);
    }
  }
  return removed;
}

export interface LinkStats {
  /** Towards the namespace. */
  in: { forwarded: number; lost: number; cut: number };
  /** Out of the namespace. */
  out: { forwarded: number; lost: number; cut: number };
}

export interface Impairment {
  /** Random loss, 0..1, each direction. */
  loss?: number;
  /** Round-trip delay in ms (half each way). */
  rttMs?: number;
  cut?: boolean;
  /** Drop UDP only, both ways (a firewall closing UDP); TCP keeps flowing. */
  cutUdp?: boolean;
  /** A cut spares TCP to or from this port (e.g. the hub's, so signalling survives a media outage); 0: none. */
  keepTcpPort?: number;
}

const open = new Set<NetLink>();
process.once('exit', () => {
  for (const link of open) link.closeSync();
});

export class NetLink {
  /** Namespace name, for `ip netns exec`. */
  readonly ns: string;
  /** Address of the root side (where the namespace reaches the host). */
  readonly rootAddress: string;
  /** Address of the namespace side. */
  readonly nsAddress: string;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #dir: string;
  readonly #out: LineReader;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(ns: string, index: number, child: ChildProcessWithoutNullStreams) {
    this.ns = ns;
    this.rootAddress = `10.78.${index}.1`;
    this.nsAddress = `10.78.${index}.2`;
    this.#child = child;
    this.#dir = mkdtempSync(join(os.tmpdir(), `${ns}-`));
    this.#out = new LineReader(child);
  }

  /** Makes a namespace and its link; `seed` fixes the loss pattern. */
  static async create(seed = 1): Promise<NetLink> {
    cleanLeftovers();
    const used = new Set(
      ip('-o', '-4', 'addr')
        .match(/10\.78\.(\d+)\./g)
        ?.map((m) => Number(m.split('.')[2])) ?? [],
    );
    const taken = new Set(namespaces().map((n) => Number(n.split('-')[2])));
    const free = Array.from({ length: 250 }, (_, i) => i + 1).filter((i) => !used.has(i) && !taken.has(i));
    const index = free[Math.floor(Math.random() * free.length)];
    if (index === undefined) throw new Error('no free 10.78.N.0/24 for a test link');
    const ns = `${PREFIX}${process.pid}-${index}`;
    const rootDev = `dcn${index}r`;
    const nsDev = `dcn${index}n`;
    ip('netns', 'add', ns);
    const child = spawn(tunLinkTool(), [rootDev, nsDev, String(seed)]);
    const link = new NetLink(ns, index, child);
    open.add(link);
    try {
      const ready = await link.#out.next();
      if (ready !== 'ready') throw new Error(`tun-link did not start: ${ready}`);
      ip('addr', 'add', link.rootAddress, 'peer', link.nsAddress, 'dev', rootDev);
      ip('link', 'set', rootDev, 'up');
      ip('link', 'set', nsDev, 'netns', ns);
      ip('-n', ns, 'addr', 'add', link.nsAddress, 'peer', link.rootAddress, 'dev', nsDev);
      ip('-n', ns, 'link', 'set', nsDev, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'route', 'add', 'default', 'via', link.rootAddress, 'dev', nsDev);
    } catch (error) {
      link.closeSync();
      throw error;
    }
    return link;
  }

  /** Sends one command and returns the tool's answer; commands run one at a time. */
  #command(line: string): Promise<string> {
    const run = async (): Promise<string> => {
      this.#child.stdin.write(`${line}\n`);
      return this.#out.next();
    };
    const result = this.#queue.then(run, run);
    this.#queue = result;
    return result;
  }

  async #ok(line: string): Promise<void> {
    const answer = await this.#command(line);
    if (answer !== 'ok') throw new Error(`tun-link: ${line}: ${answer}`);
  }

  /** Applies the given conditions (the others stay as they are). */
  async set(impairment: Impairment): Promise<void> {
    if (impairment.loss !== undefined) await this.#ok(`loss ${impairment.loss}`);
    if (impairment.rttMs !== undefined) await this.#ok(`delay ${impairment.rttMs / 2}`);
    if (impairment.cut !== undefined) await this.#ok(`cut ${impairment.cut ? 'on' : 'off'}`);
    if (impairment.keepTcpPort !== undefined) await this.#ok(`keep tcp ${impairment.keepTcpPort}`);
    if (impairment.cutUdp !== undefined) await this.#ok(`cut udp ${impairment.cutUdp ? 'on' : 'off'}`);
  }

  async stats(): Promise<LinkStats> {
    const answer = await this.#command('stats');
    const f = answer.split(' ').map(Number);
    if (f.length !== 8) throw new Error(`tun-link stats: ${answer}`);
    const at = (i: number): number => f[i] ?? 0;
    return {
      in: { forwarded: at(1), lost: at(2), cut: at(3) },
      out: { forwarded: at(5), lost: at(6), cut: at(7) },
    };
  }

  /** Arguments that run a command inside the namespace. */
  exec(command: string, ...args: string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', this.ns, command, ...args]];
  }

  /** A script that runs `binary` inside the namespace with the arguments it is given (for playwright). */
  wrapper(binary: string): string {
    const file = join(this.#dir, `${binary.split('/').pop() ?? 'run'}-in-netns`);
    writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${this.ns} ${binary} "$@"\n`, { mode: 0o755 });
    return file;
  }

  /** Kills what runs inside, stops the link and deletes the namespace. */
  closeSync(): void {
    if (this.#closed) return;
    this.#closed = true;
    open.delete(this);
    destroyNamespace(this.ns);
    this.#child.stdin.end();
    this.#child.kill('SIGKILL');
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    this.closeSync();
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      await new Promise((resolve) => this.#child.once('exit', resolve));
    }
  }
}
