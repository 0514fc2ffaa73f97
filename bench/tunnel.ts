// The tunnel trick of shared/seeds/000_9e06e36a24404536.txt, step by step:
// 1. ask rsync on the source which server command it would start on the
//    destination (a remote shell that only echoes it);
// 2. on the destination, behind `ssh -L port:port`, socat listens on the port
//    and runs that server command for the connection;
// 3. on the source, behind `ssh -R port:port`, rsync runs with socat as its
//    remote shell, connecting to the port, which the two forwards carry
//    through this machine to the destination's socat.
// Step 1 is what a user does once by hand, so it is not timed; steps 2 and 3
// are the transfer.
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import type { BenchContext, Transfer } from './context.js';
import { measured, mustSucceed, TimeLimitExceeded } from './measure.js';
import { rsyncLine, shellWord, ssh } from './remote.js';
import type { Sample } from './results.js';

const listenTimeoutMs = 30_000;

export async function tunnelTransfer(ctx: BenchContext, t: Transfer, options: readonly string[]): Promise<Sample> {
  const serverCommand = await destinationServerCommand(ctx, t, options);
  // Free on this machine; each host has a loopback of its own in its namespace, where nothing else listens.
  const port = await freePort();
  const forward = `127.0.0.1:${port}:127.0.0.1:${port}`;
  return measured(ctx, async () => {
    const listener = spawn(
      'ssh',
      ['-F', ctx.profile.config, '-o', 'ExitOnForwardFailure=yes', '-L', forward, 'host-b', `socat -d -d TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr ${shellWord(`EXEC:${serverCommand}`)}`],
      { env: ctx.profile.env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let listenerErrors = '';
    const listenerExit = new Promise<number | null>((resolve) => listener.once('close', resolve));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socat on host-b did not listen:\n${listenerErrors}`)), listenTimeoutMs);
      listener.stderr!.setEncoding('utf8');
      listener.stderr!.on('data', (text: string) => {
        listenerErrors += text;
        // socat -d -d says so once the port is open.
        if (listenerErrors.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void listenerExit.then((code) => {
        clearTimeout(timer);
        reject(new Error(`ssh -L host-b socat exited with ${code} before listening:\n${listenerErrors}`));
      });
    });
    const remoteShell = `sh -c "socat stdio tcp-connect:127.0.0.1:${port}"`;
    try {
      const line = rsyncLine([...options, '-e', remoteShell, `${t.source}/`, `remote:${t.dest}/`]);
      mustSucceed(await ssh(ctx, t.limitMs, '-o', 'ExitOnForwardFailure=yes', '-R', forward, 'host-a', line), 'rsync on host-a through ssh -R');
      const code = await Promise.race([listenerExit, timeout(t.limitMs)]);
      if (code === 'timeout') throw new TimeLimitExceeded(t.limitMs);
      if (code !== 0) throw new Error(`ssh -L host-b socat exited with ${code}:\n${listenerErrors}`);
    } finally {
      // Whatever went wrong, the listening side must not outlive the run.
      listener.kill('SIGKILL');
    }
  });
}

/**
 * Step 1: rsync on host-a, with a remote shell that prints its arguments,
 * shows the command it starts on the destination: `host-b rsync --server ...`.
 */
async function destinationServerCommand(ctx: BenchContext, t: Transfer, options: readonly string[]): Promise<string> {
  const echo = `sh -c ">&2 echo $@" echo`;
  const result = await ssh(ctx, 60_000, 'host-a', rsyncLine([...options, '-e', echo, `${t.source}/`, `host-b:${t.dest}/`]));
  const line = result.stderr.split('\n').find((l) => l.startsWith('host-b rsync '));
  if (line === undefined) throw new Error(`rsync on host-a did not show its server command:\n${result.stderr}`);
  return line.slice('host-b '.length);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
}
