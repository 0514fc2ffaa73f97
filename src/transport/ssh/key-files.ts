// Identity files as ssh reads them: the private key if it is not
// encrypted, and otherwise the public key, from the key file itself (the
// OpenSSH format keeps it in the clear) or from the `.pub` file beside it,
// so that the passphrase is asked only when the server accepts the key.
import { readFileSync } from 'node:fs';
import ssh2, { type ParsedKey } from 'ssh2';

const { utils } = ssh2;

export interface IdentityFile {
  readonly path: string;
  /** The public key, or null when it cannot be known without the passphrase. */
  readonly publicKey: ParsedKey | null;
  /** The private key when the file holds one that is not encrypted. */
  readonly privateKey: ParsedKey | null;
  /** The file holds an encrypted private key. */
  readonly encrypted: boolean;
}

export type IdentityFileResult = IdentityFile | { readonly path: string; readonly problem: string; readonly missing: boolean };

const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

/** Reads one IdentityFile entry; a file that cannot be used says why. */
export function readIdentityFile(path: string): IdentityFileResult {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return { path, missing, problem: missing ? 'no such file' : (err as Error).message };
  }
  const key = firstKey(utils.parseKey(data));
  if (!(key instanceof Error)) {
    // A public key file can still name an agent key (IdentityFile x.pub with IdentitiesOnly).
    return { path, publicKey: key, privateKey: key.isPrivateKey() ? key : null, encrypted: false };
  }
  if (!/passphrase|encrypted/i.test(key.message)) return { path, missing: false, problem: key.message };
  return { path, publicKey: publicKeyOfOpenSshFile(data) ?? readPublicFile(`${path}.pub`), privateKey: null, encrypted: true };
}

/** Decrypts an encrypted identity file; an Error says the passphrase was wrong or the file unreadable. */
export function decryptIdentityFile(path: string, passphrase: string): ParsedKey | Error {
  try {
    const key = firstKey(utils.parseKey(readFileSync(path), passphrase));
    if (!(key instanceof Error) && !key.isPrivateKey()) return new Error('no private key in the file');
    return key;
  } catch (err) {
    return err as Error;
  }
}

/** The first key in a key file (OpenSSH's format can hold several; ssh uses the first). */
function firstKey(parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | Error {
  return Array.isArray(parsed) ? parsed[0]! : parsed;
}

function readPublicFile(path: string): ParsedKey | null {
  try {
    const key = firstKey(utils.parseKey(readFileSync(path)));
    return key instanceof Error ? null : key;
  } catch {
    return null;
  }
}

/**
 * The public key in an OpenSSH-format private key file (PROTOCOL.key):
 * `-----BEGIN OPENSSH PRIVATE KEY-----`, base64 of the magic, cipher, KDF
 * and KDF options, the key count, then each public key in the clear.
 */
function publicKeyOfOpenSshFile(data: Buffer): ParsedKey | null {
  const match = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(data.toString('latin1'));
  if (match === null) return null;
  const blob = Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
  if (!blob.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) return null;
  let pos = OPENSSH_MAGIC.length;
  const readString = (): Buffer | null => {
    if (pos + 4 > blob.length) return null;
    const length = blob.readUInt32BE(pos);
    if (pos + 4 + length > blob.length) return null;
    pos += 4 + length;
    return blob.subarray(pos - length, pos);
  };
  // Cipher name, KDF name and KDF options come first.
  for (let i = 0; i < 3; i++) if (readString() === null) return null;
  if (pos + 4 > blob.length || blob.readUInt32BE(pos) < 1) return null;
  pos += 4;
  const publicBlob = readString();
  if (publicBlob === null || publicBlob.length < 4) return null;
  const type = publicBlob.toString('latin1', 4, 4 + publicBlob.readUInt32BE(0));
  const key = firstKey(utils.parseKey(`${type} ${publicBlob.toString('base64')}`));
  return key instanceof Error ? null : key;
}
