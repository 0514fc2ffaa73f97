// The WAN suite's network: every leg gets a round-trip delay (the delaying
// relay in front of each sshd, and one on host-a toward host-b, so the direct
// path between the hosts is delayed on both legs it crosses) and a rate
// limit (tbf on both ends of each veth). Before the suite, one bulk SSH
// stream is timed with and without each part, which shows whether the relay
// itself limits throughput.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Lab, LabHost } from '../test/lab/lab.js';
import type { Network } from './network.js';
import { PEER_RELAY_PORT, RELAY_PORT, type SshProfile } from './ssh-profile.js';
import type { LinkCheck } from './results.js';
import { timed } from './timing.js';

const relayProgram = fileURLToPath(new URL('./delay-relay.js', import.meta.url));
const readyTimeoutMs = 10_000;

export class Wan {
  private relays: ChildProcess[] = [];

  constructor(
    private readonly lab: Lab,
    private readonly network: Network,
    private readonly profile: SshProfile,
  ) {}

  /**
   * Times `checkBytes` through each setup: plain, relay without delay
   * (its own capacity), rate limit alone, and the full WAN leg. It leaves
   * the full WAN setup in place for the suite.
   */
  async setUp(oneWayDelayMs: number, rateMbit: number, checkBytes: number): Promise<LinkCheck[]> {
    const checks: LinkCheck[] = [];
    const check = async (setup: LinkCheck['setup'], label: string): Promise<void> => {
      checks.push({ setup, label, bytes: checkBytes, wallS: await this.stream(this.lab.b, checkBytes) });
    };
    await this.startRelays(0);
    await this.profile.direct();
    await check('plain', 'sshd directly');
    await this.profile.throughRelays();
    await check('relay', 'through the relay, no delay');
    await this.stopRelays();
    await this.network.limitRate(rateMbit);
    await this.profile.direct();
    await check('rate', `sshd directly, ${rateMbit} Mbit/s limit`);
    await this.startRelays(oneWayDelayMs);
    await this.profile.throughRelays();
    await check('wan', `through the relay, ${2 * oneWayDelayMs} ms RTT and ${rateMbit} Mbit/s limit (the WAN suite)`);
    return checks;
  }

  async tearDown(): Promise<void> {
    await this.stopRelays();
    await this.network.removeRateLimit();
    await this.profile.direct();
  }

  /** One relay in front of each sshd, and one on host-a's loopback toward host-b's. */
  private async startRelays(oneWayDelayMs: number): Promise<void> {
    const { a, b } = this.lab;
    const relays: [LabHost, string, number, string, number][] = [
      [a, a.address, RELAY_PORT, a.address, a.port],
      [b, b.address, RELAY_PORT, b.address, b.port],
      [a, '127.0.0.1', PEER_RELAY_PORT, b.address, RELAY_PORT],
    ];
    for (const [host, listenAddress, listenPort, targetAddress, targetPort] of relays) {
      const args = ['netns', 'exec', host.namespace!, process.execPath, relayProgram, listenAddress, String(listenPort), targetAddress, String(targetPort), String(oneWayDelayMs)];
      const relay = spawn('ip', args, { stdio: ['ignore', 'pipe', 'inherit'] });
      this.relays.push(relay);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the delaying relay on ${host.alias} did not start`)), readyTimeoutMs);
        relay.once('exit', (code) => reject(new Error(`the delaying relay on ${host.alias} exited with ${code}`)));
        relay.stdout!.once('data', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private async stopRelays(): Promise<void> {
    await Promise.all(
      this.relays.splice(0).map(
        (relay) =>
          new Promise<void>((resolve) => {
            if (relay.exitCode !== null || relay.signalCode !== null) return resolve();
            relay.once('exit', () => resolve());
            relay.kill('SIGTERM');
          }),
      ),
    );
  }

  /** Seconds to push `bytes` through `ssh host cat >/dev/null`: one bulk stream over one leg. */
  private async stream(host: LabHost, bytes: number): Promise<number> {
    // OpenSSH does not compress unless asked, so zeros cost what any bytes cost.
    const chunk = Buffer.alloc(1024 * 1024);
    const { wallS } = await timed(async () => {
      const ssh = spawn('ssh', ['-F', this.profile.config, host.alias, 'cat >/dev/null'], { env: this.profile.env, stdio: ['pipe', 'ignore', 'inherit'] });
      const exited = new Promise<number | null>((resolve) => ssh.once('close', resolve));
      for (let sent = 0; sent < bytes; sent += chunk.length) {
        if (!ssh.stdin!.write(chunk.subarray(0, Math.min(chunk.length, bytes - sent)))) {
          await new Promise((resolve) => ssh.stdin!.once('drain', resolve));
        }
      }
      ssh.stdin!.end();
      const code = await exited;
      if (code !== 0) throw new Error(`ssh ${host.alias} cat exited with ${code} during the link check`);
    });
    return wallS;
  }
}
