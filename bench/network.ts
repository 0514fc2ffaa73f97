// The lab's two legs as the bench sees them: how many bytes crossed each,
// a route between the hosts switched on for the direct contender only, and
// a rate limit on both directions of each leg for the WAN suite.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Lab, LabHost } from '../test/lab/lab.js';

const exec = promisify(execFile);
const ipForward = '/proc/sys/net/ipv4/ip_forward';

export interface LegBytes {
  readonly a: number;
  readonly b: number;
}

/** This machine's end of a host's veth pair, whose other end is the host's eth0. */
function gateway(host: LabHost): string {
  return host.address.replace(/\.\d+$/, '.1');
}

function subnet(host: LabHost): string {
  return host.address.replace(/\.\d+$/, '.0/24');
}

async function rootLink(host: LabHost): Promise<string> {
  const { stdout } = await exec('ip', ['-j', 'route', 'get', host.address]);
  const [route] = JSON.parse(stdout) as { dev: string }[];
  if (route === undefined) throw new Error(`no route to ${host.alias} (${host.address})`);
  return route.dev;
}

function namespaceOf(host: LabHost): string {
  if (host.namespace === undefined) throw new Error(`${host.alias} has no network namespace: the bench needs root`);
  return host.namespace;
}

export class Network {
  private shaped: { namespace: string | undefined; link: string }[] = [];

  constructor(private readonly lab: Lab) {}

  /** Bytes received plus sent on each host's interface so far; subtract two readings for one run. */
  async legBytes(): Promise<LegBytes> {
    const [a, b] = await Promise.all([this.lab.a, this.lab.b].map((host) => interfaceBytes(namespaceOf(host))));
    return { a: a!, b: b! };
  }

  /**
   * Runs `body` while each host has a route to the other through this
   * machine, as if they were on one network: the direct contender's
   * one-hop path. The route and forwarding are gone again afterwards.
   */
  async withDirectRoute<T>(body: () => Promise<T>): Promise<T> {
    const { a, b } = this.lab;
    const forwarding = (await readFile(ipForward, 'utf8')).trim();
    // An interrupted bench exits without finishing this function; the machine's forwarding setting is restored anyway.
    const restore = (): void => writeFileSync(ipForward, forwarding);
    process.on('exit', restore);
    await writeFile(ipForward, '1');
    const routes: [LabHost, LabHost][] = [
      [a, b],
      [b, a],
    ];
    try {
      for (const [from, to] of routes) await exec('ip', ['-n', namespaceOf(from), 'route', 'add', subnet(to), 'via', gateway(from)]);
      return await body();
    } finally {
      for (const [from, to] of routes) await exec('ip', ['-n', namespaceOf(from), 'route', 'del', subnet(to)]).catch(() => {});
      process.off('exit', restore);
      restore();
    }
  }

  /**
   * A token-bucket limit of `rateMbit` on both ends of both legs, so each
   * direction of each leg carries at most that much. The burst is above
   * veth's 64 KiB segments, so tbf does not have to split them.
   */
  async limitRate(rateMbit: number): Promise<void> {
    for (const host of [this.lab.a, this.lab.b]) {
      const ends = [
        { namespace: namespaceOf(host), link: 'eth0' },
        { namespace: undefined, link: await rootLink(host) },
      ];
      for (const end of ends) {
        await tc(end.namespace, ['qdisc', 'replace', 'dev', end.link, 'root', 'tbf', 'rate', `${rateMbit}mbit`, 'burst', '256kb', 'latency', '50ms']);
        this.shaped.push(end);
      }
    }
  }

  async removeRateLimit(): Promise<void> {
    for (const end of this.shaped.splice(0)) {
      await tc(end.namespace, ['qdisc', 'del', 'dev', end.link, 'root']).catch(() => {});
    }
  }
}

function tc(namespace: string | undefined, args: string[]): Promise<unknown> {
  return namespace === undefined ? exec('tc', args) : exec('ip', ['netns', 'exec', namespace, 'tc', ...args]);
}

async function interfaceBytes(namespace: string): Promise<number> {
  const { stdout } = await exec('ip', ['-n', namespace, '-j', '-s', 'link', 'show', 'eth0']);
  const [link] = JSON.parse(stdout) as { stats64: { rx: { bytes: number }; tx: { bytes: number } } }[];
  return link!.stats64.rx.bytes + link!.stats64.tx.bytes;
}
