// What each rsync exit code means, in the words rsync uses for it, so that a
// user who knows rsync's messages reads the same here.
const MEANINGS: Readonly<Record<number, string>> = {
  1: 'syntax or usage error',
  2: 'protocol incompatibility',
  3: 'errors selecting input/output files, dirs',
  4: 'requested action not supported',
  5: 'error starting client-server protocol',
  10: 'error in socket IO',
  11: 'error in file IO',
  12: 'error in rsync protocol data stream',
  13: 'errors with program diagnostics',
  14: 'error in IPC code',
  15: 'sibling process crashed',
  16: 'sibling process terminated abnormally',
  19: 'received SIGUSR1',
  20: 'received SIGINT, SIGTERM, or SIGHUP',
  21: 'waitpid() failed',
  22: 'error allocating core memory buffers',
  23: 'some files/attrs were not transferred (see previous errors)',
  24: 'some files vanished before they could be transferred',
  25: 'the --max-delete limit stopped deletions',
  30: 'timeout in data send/receive',
  35: 'timeout waiting for daemon connection',
  124: 'remote shell failed',
  125: 'remote shell killed',
  126: 'remote command could not be run',
  127: 'remote command not found',
};

export function exitCodeMeaning(code: number): string {
  return MEANINGS[code] ?? 'unexplained error';
}
