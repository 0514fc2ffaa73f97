// Logs in over a stream that reaches a host's sshd: a TCP socket, a
// ProxyCommand's standard input and output, or a channel through a jump
// host. ssh2 runs the key exchange (with the algorithms the configuration
// allows), the host key check and authentication; each failure becomes a
// TransportError that names the host and says what to do.
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { StepLog } from '../steps.js';
import type { Prompter } from '../terminal.js';
import { TransportError, type TransportFailure } from '../transport-error.js';
import { Authentication } from './auth.js';
import { HostKeyVerifier } from './host-key-verifier.js';
import { fingerprintSha256, keyTypeOf } from './known-hosts.js';
import type { ResolvedHost } from './ssh-config.js';
import { offeredAlgorithms } from './ssh2-algorithms.js';
import { connectionError } from './tcp-socket.js';

export type SshClient = InstanceType<typeof ssh2.Client>;

/** ssh2 reports these during authentication and then goes on with the next method. */
const RECOVERABLE_LEVELS = new Set(['agent', 'client-authentication']);

export interface LoginOptions {
  readonly host: ResolvedHost;
  /** How messages name the host. */
  readonly label: string;
  readonly sock: Duplex;
  /** The address connected to, for CheckHostIP; null when a proxy made the connection. */
  readonly address: string | null;
  /** How the stream was made, for messages: empty for a direct connection. */
  readonly via: string;
  readonly terminal: Prompter | null;
  /** Things the user should know that are not errors. */
  readonly note: (message: string) => void;
  /** Things -v shows. */
  readonly detail: (message: string) => void;
  /** Each step, for the structured log. */
  readonly step: StepLog;
  /** Called once the server has spoken SSH (its host key arrived) or the attempt is over: an external program before it is done with the terminal. */
  readonly serverSpoke: () => void;
}

export async function login(o: LoginOptions): Promise<SshClient> {
  const { host, label } = o;
  let offered;
  try {
    offered = offeredAlgorithms(host);
  } catch (err) {
    o.sock.destroy();
    throw new TransportError(label, 'config', `${label}: ${(err as Error).message}`);
  }
  for (const note of offered.notes) o.detail(`${label}: ${note}`);
  const verifier = new HostKeyVerifier({ host, label, address: o.address, terminal: o.terminal, note: o.note });
  const auth = await Authentication.prepare({ host, label, terminal: o.terminal, step: o.step });

  const client = new ssh2.Client();
  let verifiedKey: Buffer | undefined;
  return new Promise<SshClient>((resolve, reject) => {
    let handshakeTimer: NodeJS.Timeout | undefined;
    const fail = (error: TransportError) => {
      clearTimeout(handshakeTimer);
      o.serverSpoke();
      client.removeAllListeners();
      // After a failure ssh2 may still report the socket closing; nothing is listening for it any more.
      client.on('error', () => {});
      client.end();
      o.sock.destroy();
      reject(error);
    };
    const failure = (reason: TransportFailure, what: string) => connectionError(label, host, reason, `${what}${o.via}`);
    // ConnectTimeout also bounds the wait for the server's SSH banner and key, as in OpenSSH; not the user's answers.
    if (host.connectTimeout !== null) {
      handshakeTimer = setTimeout(() => fail(failure('timeout', `no SSH handshake within ${host.connectTimeout} s (ConnectTimeout)`)), host.connectTimeout * 1000);
    }
    client.once('handshake', () => verifier.recordAcceptedKey());
    client.on('error', (err: Error & { level?: string }) => {
      if (verifier.refusal) return fail(verifier.refusal);
      if (auth.interruption) return fail(auth.interruption);
      if (auth.exhausted) return fail(new TransportError(label, 'auth', auth.failureMessage()));
      if (err.level && RECOVERABLE_LEVELS.has(err.level)) return;
      fail(failure(err.level === 'client-timeout' ? 'timeout' : 'handshake', `SSH handshake failed: ${err.message}`));
    });
    client.once('close', () =>
      fail(verifier.refusal ?? auth.interruption ?? failure('handshake', 'the connection was closed before login (is it an SSH server, and does it accept this client?)')),
    );
    client.once('ready', () => {
      client.removeAllListeners();
      o.step(label, 'authenticated', { user: host.user, method: auth.current });
      resolve(client);
    });
    client.connect({
      sock: o.sock,
      username: host.user,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        // A rekey (sshd asks for one every GiB or so) must show the key verified at login. It is
        // answered at once: ssh2 corrupts the connection when a rekey's answer comes after the server's NEWKEYS.
        if (verifiedKey !== undefined) return verify(key.equals(verifiedKey));
        clearTimeout(handshakeTimer);
        o.serverSpoke();
        void verifier.verify(key).then((accepted) => {
          o.step(label, 'host key', { type: keyTypeOf(key), fingerprint: fingerprintSha256(key), accepted });
          if (accepted) verifiedKey = key;
          verify(accepted);
        });
      },
      algorithms: { ...offered.algorithms, serverHostKey: verifier.orderHostKeyAlgorithms(offered.algorithms.serverHostKey) as ssh2.ServerHostKeyAlgorithm[] },
      authHandler: auth.handler,
      keepaliveInterval: host.serverAliveInterval * 1000,
      keepaliveCountMax: host.serverAliveCountMax,
      // Timeouts are ours (ConnectTimeout above); authentication may wait for the user.
      readyTimeout: 0,
    });
  });
}
