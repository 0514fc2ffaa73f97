// ssh-keygen is the oracle: -F says which lines name a host, -H hashes
// names, -lf prints fingerprints.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  KnownHosts,
  fingerprintSha256,
  hashHostName,
  keyTypeLabel,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  readRevokedKeys,
} from '../../../../src/transport/ssh/known-hosts.js';

const dir = mkdtempSync(join(tmpdir(), 'relaysync-kh-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface TestKey {
  readonly pub: string;
  readonly line: string;
  readonly type: string;
  readonly blob: Buffer;
}

function makeKey(name: string, type: string): TestKey {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', name, '-f', file]);
  const line = readFileSync(`${file}.pub`, 'utf8').trim();
  const [keyType, base64] = line.split(' ');
  return { pub: `${file}.pub`, line: `${keyType} ${base64}`, type: keyType!, blob: Buffer.from(base64!, 'base64') };
}

const ed = makeKey('ed', 'ed25519');
const ed2 = makeKey('ed2', 'ed25519');
const ecdsa = makeKey('ecdsa', 'ecdsa');
const rsa = makeKey('rsa', 'rsa');

const knownHostsText = `# a comment, then a blank line

web*,!web9 ${ed.line}
web04,10.0.0.4 ${ecdsa.line} a comment
[db]:2222,[db.lan]:* ${rsa.line}
Db-Upper ${ed2.line}
@revoked * ${ecdsa.line}
@cert-authority *.lan ${ed.line}
weird?host\t${ed.line}
plain-host ${ed.line}
[plain-host]:2200 ${ed2.line}
web05
web05 ssh-ed25519 AAAAC3Nz
web06 ssh-rsa ${ed.line.split(' ')[1]}
@bogus web07 ${ed.line}
`;

function writeKnownHosts(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The line numbers `ssh-keygen -F` reports for a host. */
function keygenFind(file: string, host: string, port: number): number[] {
  const name = port === 22 ? host : `[${host}]:${port}`;
  const run = spawnSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' });
  return [...run.stdout.matchAll(/found: line (\d+)/g)].map((m) => Number(m[1]));
}

const queries: [string, number][] = [
  ['web04', 22],
  ['web9', 22],
  ['10.0.0.4', 22],
  ['db', 2222],
  ['db', 22],
  ['db.lan', 2022],
  ['db-upper', 22],
  ['weirdxhost', 22],
  ['plain-host', 2200],
  ['x.lan', 22],
  ['nobody', 22],
];

describe('known_hosts lookup matches ssh-keygen -F', () => {
  const plainFile = writeKnownHosts('plain', knownHostsText);
  // ssh-keygen -H refuses a file with unreadable lines, which come last in the text.
  const hashedFile = writeKnownHosts('hashed', knownHostsText.split('\n').slice(0, 11).join('\n') + '\n');
  execFileSync('ssh-keygen', ['-H', '-f', hashedFile], { stdio: 'ignore' });
  assert.match(readFileSync(hashedFile, 'utf8'), /^\|1\|/m);

  for (const [label, file] of [
    ['patterns', plainFile],
    ['names hashed by ssh-keygen -H', hashedFile],
  ]) {
    it(`finds the same lines with ${label}`, () => {
      const known = KnownHosts.load([file!]);
      for (const [host, port] of queries) {
        const ours = known.entriesFor(knownHostsName(host, port)).map((e) => e.line);
        assert.deepEqual(ours, keygenFind(file!, host, port), `${host}:${port}`);
      }
    });
  }

  it('writes hashed names ssh-keygen finds', () => {
    const file = writeKnownHosts('ours-hashed', `${knownHostsLine('[db]:2222', rsa.blob, true)}\n${knownHostsLine('web04', ed.blob, true)}\n`);
    assert.deepEqual(keygenFind(file, 'db', 2222), [1]);
    assert.deepEqual(keygenFind(file, 'web04', 22), [2]);
    assert.deepEqual(keygenFind(file, 'web05', 22), []);
    assert.deepEqual(KnownHosts.load([file]).entriesFor('web04').map((e) => e.line), [2]);
    assert.match(hashHostName('x'), /^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}=$/);
  });
});

describe('fingerprints match ssh-keygen -lf', () => {
  for (const key of [ed, ecdsa, rsa]) {
    it(key.type, () => {
      const expected = execFileSync('ssh-keygen', ['-lf', key.pub], { encoding: 'utf8' }).split(' ');
      assert.equal(fingerprintSha256(key.blob), expected[1]);
      assert.equal(`(${keyTypeLabel(key.type)})\n`, expected.at(-1));
      assert.equal(keyTypeOf(key.blob), key.type);
    });
  }
});

describe('checking a presented key', () => {
  const file = writeKnownHosts('check', knownHostsText);
  const known = KnownHosts.load([join(dir, 'missing-file'), file]);

  it('matches the recorded key', () => {
    const r = known.check('web04', ed.type, ed.blob);
    assert.equal(r.status, 'match');
    assert.equal(r.status === 'match' && r.entry.line, 3);
  });

  it('matches host names case-insensitively', () => {
    assert.equal(known.check('DB-UPPER', ed2.type, ed2.blob).status, 'match');
  });

  it('reports a different key of the same type as a mismatch naming its file and line', () => {
    const r = known.check('web04', ed2.type, ed2.blob);
    assert.equal(r.status, 'mismatch');
    assert.deepEqual(r.status === 'mismatch' && [r.entry.file, r.entry.line, r.entry.keyType], [file, 3, ed.type]);
  });

  it('treats a key of a type not recorded, when others are, as a mismatch (as OpenSSH does)', () => {
    assert.equal(known.check('web04', rsa.type, rsa.blob).status, 'mismatch');
  });

  it('refuses a revoked key even where it is also recorded as valid', () => {
    const r = known.check('web04', ecdsa.type, ecdsa.blob);
    assert.equal(r.status, 'revoked');
    assert.equal(r.status === 'revoked' && r.entry.line, 7);
  });

  it('knows nothing of a host with no entry', () => {
    assert.deepEqual(known.check('nobody', ed.type, ed.blob), { status: 'unknown', certAuthorities: [] });
  });

  it('keeps a host on another port apart from the same host on port 22', () => {
    assert.equal(known.check(knownHostsName('plain-host', 2200), ed2.type, ed2.blob).status, 'match');
    assert.equal(known.check(knownHostsName('plain-host', 2200), ed.type, ed.blob).status, 'mismatch');
    assert.equal(known.check(knownHostsName('plain-host', 2201), ed.type, ed.blob).status, 'unknown');
  });

  it('names the other entries that record a key, as ssh does when it asks about a new host', () => {
    assert.deepEqual(known.otherNamesFor(ed.blob, ['web04']).map((e) => e.line), [9, 10]);
    assert.deepEqual(known.otherNamesFor(ed2.blob, ['nobody']).map((e) => e.line), [6, 11]);
  });

  it('never passes a host certificate, and a plain key is not vouched for by a CA line', () => {
    const cert = known.check('x.lan', 'ssh-ed25519-cert-v01@openssh.com', ed.blob);
    assert.equal(cert.status, 'unverifiable-certificate');
    assert.deepEqual(cert.status === 'unverifiable-certificate' && cert.certAuthorities.map((e) => e.line), [8]);
    const plain = known.check('x.lan', ed.type, ed.blob);
    assert.equal(plain.status, 'unknown');
    assert.deepEqual(plain.status === 'unknown' && plain.certAuthorities.map((e) => e.line), [8]);
  });

  it('lists the key types recorded for a host, for host key algorithm order', () => {
    assert.deepEqual(known.keyTypesFor('web04'), [ed.type, ecdsa.type]);
    assert.deepEqual(known.keyTypesFor('[db]:2222'), [rsa.type]);
  });

  it('keeps unreadable lines as problems with file and line, not as entries', () => {
    assert.deepEqual(
      known.problems.map((p) => [p.line, p.hosts]),
      [
        [12, 'web05'],
        [13, 'web05'],
        [14, 'web06'],
        [15, 'web07'],
      ],
    );
    assert.deepEqual(known.problemsFor('web05').map((p) => p.reason), [
      'no key after the host names',
      'the key is labelled ssh-ed25519 but holds no valid key',
    ]);
    assert.match(known.problems[2]!.reason, /labelled ssh-rsa but holds ssh-ed25519/);
    assert.match(known.problems[3]!.reason, /unknown marker @bogus/);
  });
});

describe('RevokedHostKeys files', () => {
  it('reads a plain list of public keys, with comments and blank lines', () => {
    const file = writeKnownHosts('revoked-list', `# revoked\n\n${ed.line} old key\n${rsa.line}\n`);
    assert.deepEqual(readRevokedKeys(file), [ed.blob, rsa.blob]);
  });

  it('refuses a file it cannot read completely: a revocation list must never be half applied', () => {
    const krl = join(dir, 'revoked.krl');
    execFileSync('ssh-keygen', ['-k', '-f', krl, ed.pub]);
    assert.throws(() => readRevokedKeys(krl), /binary key revocation list/);
    assert.throws(() => readRevokedKeys(writeKnownHosts('revoked-bad', `${ed.line}\nnot a key\n`)), /line 2 is not a public key/);
    assert.throws(() => readRevokedKeys(join(dir, 'no-such-file')), /ENOENT/);
  });
});
