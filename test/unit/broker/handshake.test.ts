import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { handshake, type HandshakeLink, type HandshakeRequest } from '../../../src/broker/handshake.js';
import { RelayError } from '../../../src/broker/relay-error.js';
import { StreamReader } from '../../../src/broker/stream-reader.js';
import { CF } from '../../../src/protocol/constants.js';
import { encodeInt, encodeVarint, encodeVstring } from '../../../src/protocol/ints.js';
import type { Side } from '../../../src/transport/server-process.js';

interface FakeServer {
  link: HandshakeLink;
  out: PassThrough;
  sent: Buffer[];
}

function fakeServer(label: string, ...said: Buffer[]): FakeServer {
  const out = new PassThrough();
  const sent: Buffer[] = [];
  for (const bytes of said) out.write(bytes);
  return { out, sent, link: { label, reader: new StreamReader(out), send: (bytes) => sent.push(bytes) } };
}

const ALL_FLAGS = CF.INC_RECURSE | CF.SYMLINK_TIMES | CF.SAFE_FLIST | CF.AVOID_XATTR_OPTIM | CF.CHKSUM_SEED_FIX | CF.INPLACE_PARTIAL_DIR | CF.VARINT_FLIST_FLAGS | CF.ID0_NAMES;
const SEED = 4242;

function modernServer(label: string, version: number, checksums: string, compat = ALL_FLAGS, seed = SEED): FakeServer {
  return fakeServer(label, encodeInt(version), encodeVarint(compat), encodeVstring(Buffer.from(checksums)), encodeInt(seed));
}

function request(overrides: Partial<HandshakeRequest> = {}): HandshakeRequest {
  return {
    offer: 32,
    seed: SEED,
    letters: 'iLsfxCIvu',
    checksumChoice: undefined,
    compress: false,
    compressChoice: undefined,
    tooOld: () => undefined,
    restart: () => Promise.reject(new Error('no restart expected')),
    ...overrides,
  };
}

test('both servers get the lowest common version and one checksum both have', async () => {
  const source = modernServer('web04', 32, 'xxh128 xxh3 xxh64 md5 md4 none');
  const dest = modernServer('web05', 31, 'xxh64 md5 md4 sha1 none');
  const s = await handshake({ source: source.link, dest: dest.link }, request());
  assert.equal(s.protocol, 31);
  assert.equal(s.checksum, 'xxh64');
  assert.equal(s.compression, undefined);
  for (const server of [source, dest]) {
    assert.deepEqual(Buffer.concat(server.sent), Buffer.concat([encodeInt(31), encodeVstring(Buffer.from('xxh64'))]));
  }
});

test('--protocol=29: no compat flags, no negotiation, MD4', async () => {
  const source = fakeServer('a', encodeInt(32), encodeInt(SEED));
  const dest = fakeServer('b', encodeInt(32), encodeInt(SEED));
  const s = await handshake({ source: source.link, dest: dest.link }, request({ offer: 29 }));
  assert.deepEqual([s.protocol, s.compatFlags, s.checksum], [29, 0, 'md4']);
  assert.deepEqual(Buffer.concat(source.sent), encodeInt(29));
});

test('an option the agreed protocol is too old for stops the run after both servers got the version', async () => {
  const source = fakeServer('a', encodeInt(28));
  const dest = fakeServer('b', encodeInt(32));
  const tooOld = (protocol: number) => (protocol < 29 ? `--fuzzy requires protocol 29 or higher (negotiated ${protocol}).` : undefined);
  await assert.rejects(handshake({ source: source.link, dest: dest.link }, request({ tooOld })), {
    message: '--fuzzy requires protocol 29 or higher (negotiated 28).',
    exitCode: 2,
  });
  assert.deepEqual(Buffer.concat(dest.sent), encodeInt(28));
});

test('with -z both get one compression both have', async () => {
  const source = fakeServer('a', encodeInt(32), encodeVarint(ALL_FLAGS), encodeVstring(Buffer.from('md5')), encodeVstring(Buffer.from('zstd lz4 zlibx zlib none')), encodeInt(SEED));
  const dest = fakeServer('b', encodeInt(32), encodeVarint(ALL_FLAGS), encodeVstring(Buffer.from('md5')), encodeVstring(Buffer.from('zlibx zlib none')), encodeInt(SEED));
  const s = await handshake({ source: source.link, dest: dest.link }, request({ compress: true }));
  assert.equal(s.compression, 'zlibx');
});

test('a host that prints text before rsync starts is named, with what it printed', async () => {
  const source = fakeServer('web04', Buffer.from('Welcome to web04!\n'));
  const dest = modernServer('web05', 32, 'md5');
  await assert.rejects(handshake({ source: source.link, dest: dest.link }, request()), (e: RelayError) => {
    assert.equal(e.side, 'source');
    assert.match(e.message, /web04 printed something before rsync started/);
    assert.match(e.message, /Welcome to web04/);
    return true;
  });
});

test('a server that ignores capability letters makes the other restart without them', async () => {
  const oldFlags = CF.INC_RECURSE | CF.SYMLINK_TIMES | CF.SAFE_FLIST;
  const source = fakeServer('old', encodeInt(30), encodeVarint(oldFlags), encodeInt(SEED));
  const dest = modernServer('new', 32, 'md5');
  const restarted: [Side, string][] = [];
  const again = fakeServer('new', encodeInt(32), encodeVarint(oldFlags), encodeInt(SEED));
  const s = await handshake(
    { source: source.link, dest: dest.link },
    request({ restart: async (side, letters) => (restarted.push([side, letters]), again.link) }),
  );
  assert.deepEqual(restarted, [['dest', 'iLsf']]);
  assert.equal(s.protocol, 30);
  assert.equal(s.checksum, 'md5');
  assert.equal(s.links.dest, again.link);
});

test('a server that ignores the seed it was given: reported from protocol 30, refused before', async () => {
  const source = modernServer('a', 32, 'md5');
  const dest = modernServer('b', 32, 'md5', ALL_FLAGS, 7);
  const s = await handshake({ source: source.link, dest: dest.link }, request());
  assert.deepEqual(s.seeds, { source: SEED, dest: 7 });
  const old = fakeServer('a', encodeInt(29), encodeInt(SEED));
  const fixed = fakeServer('b', encodeInt(29), encodeInt(7));
  await assert.rejects(handshake({ source: old.link, dest: fixed.link }, request()), /b uses checksum seed 7, not the 4242/);
});

test('no checksum in common says what each offers', async () => {
  const source = modernServer('a', 32, 'xxh128');
  const dest = modernServer('b', 32, 'md4');
  await assert.rejects(handshake({ source: source.link, dest: dest.link }, request()), /no checksum .* both servers: a offers "xxh128", b offers "md4"/);
});

test('a server that closes the connection during the handshake is named', async () => {
  const source = fakeServer('a', encodeInt(32));
  source.out.end();
  const dest = modernServer('b', 32, 'md5');
  await assert.rejects(handshake({ source: source.link, dest: dest.link }, request()), /a closed the connection during the handshake/);
});
