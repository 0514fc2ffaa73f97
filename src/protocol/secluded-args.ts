// --secluded-args (-s): the arguments a remote shell must not see are sent on
// the server's input before the protocol starts (send_protected_args in
// rsync's rsync.c): a program name, then each argument NUL-terminated (an
// empty one as "."), then an empty string.
export function encodeSecludedArgs(args: readonly string[]): Buffer {
  const words = ['rsync', ...args].map((a) => Buffer.from(a === '' ? '.' : a));
  return Buffer.concat([...words.flatMap((w) => [w, Buffer.from([0])]), Buffer.from([0])]);
}
