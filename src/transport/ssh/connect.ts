// Opens one authenticated SSH connection for a resolved host. The TCP
// connection is made here rather than by ssh2, so that DNS failures,
// refusals, unreachable networks and ConnectTimeout each get their own
// message; ssh2 then runs the handshake and authentication on that socket.
import { connect as tcpConnect, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import { TransportError, type TransportFailure } from '../transport-error.js';
import { Authentication } from './auth.js';
import { HostKeyVerifier } from './host-key-verifier.js';
import type { ResolvedHost } from './ssh-config.js';

export type SshClient = InstanceType<typeof ssh2.Client>;

/** ssh2 reports these during authentication and then goes on with the next method. */
const RECOVERABLE_LEVELS = new Set(['agent', 'client-authentication']);

export async function connectSsh(host: ResolvedHost, label: string, note: (message: string) => void): Promise<SshClient> {
  const verifier = new HostKeyVerifier(host, label, note);
  const auth = await Authentication.prepare(host, note, label);
  const timeoutMs = host.connectTimeout === null ? null : host.connectTimeout * 1000;
  const socket = await openSocket(host, label, timeoutMs);

  const client = new ssh2.Client();
  return new Promise<SshClient>((resolve, reject) => {
    let handshakeTimer: NodeJS.Timeout | undefined;
    const fail = (error: TransportError) => {
      clearTimeout(handshakeTimer);
      client.removeAllListeners();
      // After a failure ssh2 may still report the socket closing; nothing is listening for it any more.
      client.on('error', () => {});
      client.end();
      socket.destroy();
      reject(error);
    };
    // ConnectTimeout also bounds the SSH banner exchange and key exchange, as in OpenSSH.
    if (timeoutMs !== null) {
      handshakeTimer = setTimeout(
        () => fail(connectionError(label, host, 'timeout', `no SSH handshake within ${host.connectTimeout} s (ConnectTimeout)`)),
        timeoutMs,
      );
    }
    client.once('handshake', () => {
      clearTimeout(handshakeTimer);
      verifier.recordAcceptedKey();
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (verifier.refusal) return fail(verifier.refusal);
      if (auth.exhausted) return fail(new TransportError(label, 'auth', auth.failureMessage(label)));
      if (err.level && RECOVERABLE_LEVELS.has(err.level)) return;
      const reason: TransportFailure = err.level === 'client-timeout' ? 'timeout' : 'handshake';
      fail(connectionError(label, host, reason, `SSH handshake failed: ${err.message}`));
    });
    client.once('close', () =>
      fail(
        verifier.refusal ??
          connectionError(label, host, 'handshake', 'the connection was closed before login (is it an SSH server, and does it accept this client?)'),
      ),
    );
    client.once('ready', () => {
      client.removeAllListeners();
      resolve(client);
    });
    client.connect({
      sock: socket,
      username: host.user,
      hostVerifier: (key: Buffer) => verifier.verify(key),
      algorithms: { serverHostKey: verifier.serverHostKeyAlgorithms() as ssh2.ServerHostKeyAlgorithm[] },
      authHandler: auth.handler,
      // Timeouts are ours (ConnectTimeout above); authentication may wait on an agent's confirmation.
      readyTimeout: 0,
    });
  });
}

function openSocket(host: ResolvedHost, label: string, timeoutMs: number | null): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: host.hostName, port: host.port });
    const timer =
      timeoutMs === null
        ? undefined
        : setTimeout(() => {
            socket.destroy();
            reject(connectionError(label, host, 'timeout', `no answer within ${host.connectTimeout} s (ConnectTimeout)`));
          }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(socketError(label, host, err));
    });
  });
}

function socketError(label: string, host: ResolvedHost, err: NodeJS.ErrnoException): TransportError {
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new TransportError(label, 'dns', `${label}: cannot resolve host name "${host.hostName}" (${err.code}); check the name, or HostName in ~/.ssh/config.`);
    case 'ECONNREFUSED':
      return connectionError(label, host, 'refused', 'connection refused: nothing listens there (is sshd running, and is that the right port?)');
    case 'ETIMEDOUT':
      return connectionError(label, host, 'timeout', 'the connection attempt timed out');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return connectionError(label, host, 'unreachable', `the host is unreachable from here (${err.code})`);
    default:
      return connectionError(label, host, 'unreachable', `cannot connect: ${err.message}`);
  }
}

function connectionError(label: string, host: ResolvedHost, reason: TransportFailure, what: string): TransportError {
  return new TransportError(label, reason, `${label}: ${host.hostName} port ${host.port}: ${what}`);
}
