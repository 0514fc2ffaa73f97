// OpenSSH's own resolution (`ssh -G -F FILE HOST`) is the oracle: for each
// configuration the resolver must print what ssh would use.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { formatJumpHop } from '../../../../src/transport/ssh/jump-hosts.js';
import { SshConfig, SshConfigError, type ResolvedHost } from '../../../../src/transport/ssh/ssh-config.js';

const root = mkdtempSync(join(tmpdir(), 'relaysync-sshcfg-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** OpenSSH takes `~` from the password database; the tests run with that same home. */
const home = userInfo().homedir;
const localUser = userInfo().username;
let fileCount = 0;

function writeConfig(text: string, name = `config${++fileCount}`): string {
  const path = join(root, name);
  writeFileSync(path, text, { mode: 0o644 });
  return path;
}

interface Lookup {
  user?: string;
  port?: number;
  /** -4/-6 on the command line. */
  addressFamily?: 'inet' | 'inet6';
  env?: NodeJS.ProcessEnv;
  /** $HOME for ssh: OpenSSH globs relative Includes under it. */
  globHome?: string;
}

/** `ssh -G` output as keyword → values (keywords that repeat, like identityfile, collect). */
function oracle(file: string, alias: string, lookup: Lookup = {}): Map<string, string[]> {
  const args = ['-G', '-F', file];
  if (lookup.user) args.push('-l', lookup.user);
  if (lookup.port) args.push('-p', String(lookup.port));
  if (lookup.addressFamily) args.push(lookup.addressFamily === 'inet' ? '-4' : '-6');
  const env = { ...process.env, ...lookup.env, ...(lookup.globHome ? { HOME: lookup.globHome } : {}) };
  const run = spawnSync('ssh', [...args, alias], { encoding: 'utf8', env });
  assert.equal(run.status, 0, `ssh -G failed: ${run.stderr}`);
  const out = new Map<string, string[]>();
  for (const line of run.stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const key = line.slice(0, space);
    out.set(key, [...(out.get(key) ?? []), line.slice(space + 1)]);
  }
  return out;
}

function resolve(file: string, alias: string, lookup: Lookup = {}): ResolvedHost {
  const config = SshConfig.load({
    home: lookup.globHome ?? home,
    localUser,
    env: { ...process.env, ...lookup.env },
    configFile: file,
  });
  return config.resolveHost(alias, { user: lookup.user, port: lookup.port, addressFamily: lookup.addressFamily });
}

/** How ssh -G prints a ProxyJump chain or a ProxyCommand (before its tokens are expanded, which is done on our side). */
function routeAsSshG(r: ResolvedHost): Record<string, string[]> {
  if (r.route.kind === 'jump') return { proxyjump: [r.route.hops.map(formatJumpHop).join(',')] };
  if (r.route.kind === 'command') return { proxycommand: [r.route.command.replace(/^exec /, '')] };
  return { proxyjump: [], proxycommand: [] };
}

/** Our resolution in ssh -G's vocabulary, for the keywords relaysync honours. */
function asSshG(r: ResolvedHost): Record<string, string[]> {
  const yesNo = (b: boolean) => [b ? 'yes' : 'no'];
  const trueFalse = (b: boolean) => [b ? 'true' : 'false'];
  const optional = (value: string | null) => (value === null ? [] : [value]);
  const strict = { yes: 'true', no: 'false', ask: 'ask', 'accept-new': 'accept-new' }[r.strictHostKeyChecking];
  return {
    hostname: [r.hostName],
    user: [r.user],
    port: [String(r.port)],
    identityfile: [...r.identityFiles],
    identitiesonly: yesNo(r.identitiesOnly),
    userknownhostsfile: [r.userKnownHostsFiles.join(' ') || 'none'],
    globalknownhostsfile: [r.globalKnownHostsFiles.join(' ') || 'none'],
    stricthostkeychecking: [strict],
    connecttimeout: [r.connectTimeout === null ? 'none' : String(r.connectTimeout)],
    hashknownhosts: yesNo(r.hashKnownHosts),
    hostkeyalias: optional(r.hostKeyAlias),
    checkhostip: yesNo(r.checkHostIp),
    revokedhostkeys: optional(r.revokedHostKeys),
    fingerprinthash: [r.fingerprintHash.toUpperCase()],
    connectionattempts: [String(r.connectionAttempts)],
    serveraliveinterval: [String(r.serverAliveInterval)],
    serveralivecountmax: [String(r.serverAliveCountMax)],
    tcpkeepalive: yesNo(r.tcpKeepAlive),
    addressfamily: [r.addressFamily],
    bindaddress: optional(r.bindAddress),
    ...routeAsSshG(r),
    ciphers: [r.algorithms.ciphers.join(',')],
    macs: [r.algorithms.macs.join(',')],
    kexalgorithms: [r.algorithms.kexalgorithms.join(',')],
    hostkeyalgorithms: [r.algorithms.hostkeyalgorithms.join(',')],
    compression: yesNo(r.compression),
    batchmode: yesNo(r.batchMode),
    pubkeyauthentication: trueFalse(r.pubkeyAuthentication),
    passwordauthentication: yesNo(r.passwordAuthentication),
    kbdinteractiveauthentication: yesNo(r.kbdInteractiveAuthentication),
    numberofpasswordprompts: [String(r.numberOfPasswordPrompts)],
  };
}

/** ssh -G prints ProxyCommand as written; its tokens are checked on their own below. */
function expandProxyTokens(command: string, r: ResolvedHost): string {
  const tokens: Record<string, string> = { h: r.hostName, p: String(r.port), r: r.user, n: r.alias, k: r.hostKeyAlias ?? r.alias, '%': '%' };
  return command.replace(/%(.)/g, (_, t: string) => tokens[t]!);
}

/** ssh -G prints PreferredAuthentications only when it is set; ours always holds a list. */
const DEFAULT_PREFERRED = 'gssapi-with-mic,hostbased,publickey,keyboard-interactive,password';

/** Compares the honoured keywords; ssh -G prints IdentityFile and GlobalKnownHostsFile before their `~` is expanded, so that is done on its side. */
function assertSameAsSsh(file: string, alias: string, lookup: Lookup = {}, keys?: string[]): ResolvedHost {
  const ours = resolve(file, alias, lookup);
  const theirs = oracle(file, alias, lookup);
  const mine = { ...asSshG(ours), preferredauthentications: [ours.preferredAuthentications.join(',')] };
  if (mine.preferredauthentications[0] === DEFAULT_PREFERRED && !theirs.has('preferredauthentications')) {
    mine.preferredauthentications = [];
  }
  for (const key of keys ?? Object.keys(mine)) {
    const homeSlash = home.replace(/\/?$/, '/');
    let expected = theirs.get(key) ?? [];
    if (key === 'pubkeyauthentication') expected = expected.map((v) => (v === 'false' ? v : 'true'));
    if (key === 'proxycommand') expected = expected.map((command) => expandProxyTokens(command, ours));
    if (key === 'globalknownhostsfile') expected = expected.map((list) => list.replace(/(^| )~\//g, `$1${homeSlash}`));
    if (key === 'identityfile') {
      expected = expected.map((p) => p.replace(/^~\//, homeSlash));
      // ssh lists the defaults it would try, including kinds relaysync cannot use.
      if (!ours.identityFilesConfigured) expected = expected.filter((p) => /id_(rsa|ecdsa|ed25519)$/.test(p));
    }
    assert.deepEqual(mine[key as keyof typeof mine], expected, `${key} for ${alias}`);
  }
  return ours;
}

describe('ssh_config resolution matches ssh -G', () => {
  const basic = writeConfig(`# a comment line
Host web* !web9 "db*"
    HOSTNAME %h.Example.COM
    Port=2222
  user    alice   # a trailing comment
    IdentityFile /keys/first
    IdentityFile "/keys/with space"
Host web0?
    Port 2200
    User bob
    IdentityFile /keys/second
    StrictHostKeyChecking accept-new
Host *.lan lan-?
    IdentitiesOnly yes
    ConnectTimeout 1m5s
    HashKnownHosts yes
Host *
    IdentityFile /keys/last
    StrictHostKeyChecking no
    ConnectTimeout 7
`);

  it('applies matching Host blocks in order, first value winning', () => {
    const r = assertSameAsSsh(basic, 'web04');
    assert.equal(r.hostName, 'web04.example.com');
    assert.equal(r.port, 2222);
    assert.deepEqual(r.identityFiles, ['/keys/first', '/keys/with space', '/keys/second', '/keys/last']);
  });

  it('lets a negated pattern veto the whole line', () => {
    const r = assertSameAsSsh(basic, 'web9');
    assert.equal(r.user, localUser);
    assert.equal(r.port, 22);
  });

  it('matches a quoted pattern, ? wildcards and several patterns per line', () => {
    assertSameAsSsh(basic, 'db1');
    assertSameAsSsh(basic, 'lan-7');
    assertSameAsSsh(basic, 'printer.lan');
  });

  it('matches Host patterns case-sensitively but lower-cases the host name', () => {
    const r = assertSameAsSsh(basic, 'WEB04');
    assert.equal(r.hostName, 'web04');
  });

  it('lets user@host and -p win over the files', () => {
    assertSameAsSsh(basic, 'web04', { user: 'carol', port: 2022 });
  });

  it('fills in the defaults when nothing matches', () => {
    assertSameAsSsh(writeConfig(''), 'plain');
  });

  it('expands tokens, ~ and ${VAR} in paths', () => {
    const file = writeConfig(`Host tok
    HostName Real-%h
    User u%%1
    Port 2345
    UserKnownHostsFile ~/kh/%h_%p_%r_%u_%n_%k %d/%C %l/%L/%i "/sp ace/\${RELAYSYNC_TEST_VAR}%%"
    GlobalKnownHostsFile ~/global /etc/g%h
    IdentityAgent ~/agent-%h.sock
`);
    const r = assertSameAsSsh(file, 'tok', { env: { RELAYSYNC_TEST_VAR: 'vär' } });
    assert.equal(r.identityAgent, join(home, 'agent-real-tok.sock'));
    const theirs = oracle(file, 'tok', { env: { RELAYSYNC_TEST_VAR: 'vär' } });
    assert.deepEqual([r.identityAgent], theirs.get('identityagent'));
  });

  it('accepts the StrictHostKeyChecking and flag spellings OpenSSH accepts', () => {
    for (const [value, expected] of [
      ['Yes', 'yes'],
      ['true', 'yes'],
      ['off', 'no'],
      ['ASK', 'ask'],
      ['accept-new', 'accept-new'],
    ] as const) {
      const file = writeConfig(`StrictHostKeyChecking ${value}\nIdentitiesOnly True\nConnectTimeout 2h3M\n`);
      assert.equal(assertSameAsSsh(file, 'x').strictHostKeyChecking, expected);
    }
  });

  it('takes "none" as no known_hosts files and no identity files', () => {
    const file = writeConfig('UserKnownHostsFile none\nGlobalKnownHostsFile none\nIdentityFile none\n');
    const r = assertSameAsSsh(file, 'x', {}, ['userknownhostsfile', 'globalknownhostsfile']);
    assert.deepEqual(r.userKnownHostsFiles, []);
    assert.deepEqual(r.identityFiles, []);
    assert.equal(r.identityFilesConfigured, true);
  });
});

describe('connection, algorithm and authentication keywords match ssh -G', () => {
  it('reads times, counts, flags and their other spellings', () => {
    const file = writeConfig(`Host h
    ConnectionAttempts 4
    ServerAliveInterval 1m30s
    ServerAliveCountMax 2
    TCPKeepAlive no
    CheckHostIP yes
    HostKeyAlias Web-Alias
    Compression yes
    BatchMode yes
    PreferredAuthentications keyboard-interactive,password
    PubkeyAuthentication host-bound
    PasswordAuthentication no
    ChallengeResponseAuthentication no
    NumberOfPasswordPrompts 1
    AddressFamily inet
    BindAddress 127.0.0.1
    FingerprintHash md5
    RevokedHostKeys ~/revoked
Host *
    ServerAliveInterval none
    Compression no
`);
    const r = assertSameAsSsh(file, 'h');
    assert.equal(r.hostKeyAlias, 'web-alias');
    assert.equal(r.serverAliveInterval, 90);
    assert.equal(r.kbdInteractiveAuthentication, false);
    assertSameAsSsh(file, 'other');
  });

  for (const family of ['inet', 'inet6'] as const) {
    it(`-${family === 'inet' ? 4 : 6} comes before AddressFamily in the files`, () => {
      const file = writeConfig('Host h\n    AddressFamily inet6\nHost *\n    AddressFamily inet\n');
      const r = assertSameAsSsh(file, 'h', { addressFamily: family }, ['addressfamily']);
      assert.equal(r.addressFamily, family);
    });
  }

  for (const [name, lines] of [
    ['explicit lists', ['Ciphers aes256-ctr,aes128-gcm@openssh.com', 'MACs hmac-sha2-512', 'KexAlgorithms curve25519-sha256,diffie-hellman-group14-sha256', 'HostKeyAlgorithms ssh-ed25519,rsa-sha2-256']],
    ['+ appends to the default', ['Ciphers +aes128-cbc', 'HostKeyAlgorithms +ssh-rsa', 'KexAlgorithms +diffie-hellman-group1-sha1,curve25519-sha256']],
    ['- removes patterns from the default', ['Ciphers -chacha*,aes128*', 'MACs -umac*,*-etm@openssh.com', 'HostKeyAlgorithms -*cert*,sk-*']],
    ['^ puts names first', ['Ciphers ^aes256-gcm@openssh.com', 'MACs ^hmac-sha1', 'KexAlgorithms ^ecdh-sha2-nistp521']],
    ['host key type patterns', ['HostKeyAlgorithms ssh-ed25519*,ecdsa-sha2-nistp256']],
  ] as const) {
    it(`assembles algorithm lists: ${name}`, () => {
      assertSameAsSsh(writeConfig(`Host h\n${lines.map((l) => `  ${l}\n`).join('')}`), 'h');
    });
  }

  it('refuses algorithm names OpenSSH does not know', () => {
    for (const line of ['Ciphers aes128-ctr,rot13', 'MACs +nope', 'KexAlgorithms curve*', 'HostKeyAlgorithms ^ssh-foo']) {
      const file = writeConfig(`Host nothing\n${line}\n`);
      assert.notEqual(spawnSync('ssh', ['-G', '-F', file, 'h']).status, 0, `ssh -G accepted ${line}`);
      assert.throws(() => resolve(file, 'h'), /line 2: Bad /, line);
    }
  });
});

describe('ProxyJump and ProxyCommand match ssh -G', () => {
  it('reads chains of hops with users, ports, brackets and ssh:// URIs', () => {
    const file = writeConfig(`Host chain
    ProxyJump alice@bastion:2200,inner,bob@[fe80::1]:2022,ssh://carol;x=y@plain.:2023 # a comment
Host *
    ProxyJump fallback
`);
    const r = assertSameAsSsh(file, 'chain');
    assert.deepEqual(r.route, {
      kind: 'jump',
      hops: [
        { host: 'bastion', user: 'alice', port: 2200 },
        { host: 'inner' },
        { host: 'fe80::1', user: 'bob', port: 2022 },
        { host: 'plain', user: 'carol', port: 2023 },
      ],
    });
  });

  it('takes whichever of ProxyCommand and ProxyJump applies first, and none of either stops both', () => {
    const file = writeConfig(`Host cmd-first
    ProxyCommand nc -X connect -x proxy:3128 %h %p
Host jump-first none-first
    ProxyJump bastion
Host none-first
    ProxyCommand none
Host *
    ProxyCommand nc %h %p
    ProxyJump late
`);
    for (const alias of ['cmd-first', 'jump-first', 'elsewhere']) assertSameAsSsh(file, alias);
    assert.deepEqual(resolve(file, 'none-first').route, { kind: 'jump', hops: [{ host: 'bastion' }] });
    const none = writeConfig('Host *\n  ProxyJump none\n  ProxyCommand nc %h %p\n');
    assert.deepEqual(resolve(none, 'x').route, { kind: 'direct' });
  });

  it('expands ProxyCommand tokens and runs it with exec, as ssh does', () => {
    const file = writeConfig('Host px\n  HostName Target.Example\n  Port 2222\n  User carol\n  HostKeyAlias keyname\n  ProxyCommand connect %h %p %r %n %k %%\n');
    assert.deepEqual(resolve(file, 'px').route, { kind: 'command', command: 'exec connect target.example 2222 carol px keyname %' });
  });

  it('takes the hops before a jump host from the command line, as ssh -J does', () => {
    const file = writeConfig('Host inner\n  ProxyJump from-config\n');
    const config = SshConfig.load({ home, localUser, env: {}, configFile: file });
    assert.deepEqual(config.resolveHost('inner', { jump: [{ host: 'first' }] }).route, { kind: 'jump', hops: [{ host: 'first' }] });
  });

  it('refuses a host that jumps through itself and malformed hops', () => {
    const loop = writeConfig('Host loop\n  ProxyJump loop\n');
    assert.throws(() => resolve(loop, 'loop'), /jumphost loop via loop/);
    for (const bad of ['user@', 'host:99999', '@host', '[fe80::1']) {
      const file = writeConfig(`Host nothing\nProxyJump ${bad}\n`);
      assert.notEqual(spawnSync('ssh', ['-G', '-F', file, 'h']).status, 0, `ssh -G accepted ProxyJump ${bad}`);
      assert.throws(() => resolve(file, 'h'), /line 2: invalid ProxyJump host/, bad);
    }
  });
});

describe('Match matches ssh -G', () => {
  const file = writeConfig(`Host web
    HostName Real.Example
Match originalhost web user root,alice
    Port 2201
Match host real.example !localuser nobody-here
    User matched-by-host
Match host "other.*" exec "test %h = other.example"
    Port 2202
Match exec false
    Port 9999
Match final host real.example
    IdentityFile /keys/final
Host real.example
    ConnectTimeout 42
Match all
    Compression yes
Match canonical
    BatchMode yes
`);

  for (const [alias, lookup] of [
    ['web', { user: 'root' }],
    ['web', { user: 'alice' }],
    ['web', {}],
    ['other.example', {}],
    ['nothing', {}],
  ] as const) {
    it(`resolves ${alias} ${JSON.stringify(lookup)} like ssh, with a final pass where Host sees the HostName`, () => {
      assertSameAsSsh(file, alias, lookup);
    });
  }

  it('runs the final pass only when a Match line asks for it', () => {
    const r = resolve(file, 'web');
    assert.equal(r.connectTimeout, 42, 'Host real.example applies in the final pass');
    assert.equal(r.batchMode, true, 'canonical holds in the final pass');
    const noFinal = writeConfig('Host web\n  HostName real.example\nHost real.example\n  Port 1111\nMatch canonical\n  Port 2222\n');
    assertSameAsSsh(noFinal, 'web');
  });

  it('refuses what ssh refuses', () => {
    for (const line of ['Match', 'Match host', 'Match all host x', 'Match colour blue', 'Match exec']) {
      const bad = writeConfig(`Host *\n${line}\n`);
      assert.notEqual(spawnSync('ssh', ['-G', '-F', bad, 'h']).status, 0, `ssh -G accepted ${line}`);
      assert.throws(() => resolve(bad, 'h'), SshConfigError, line);
    }
  });
});

describe('Include', () => {
  const fakeHome = join(root, 'home');
  mkdirSync(join(fakeHome, '.ssh', 'conf.d'), { recursive: true });
  writeFileSync(join(fakeHome, '.ssh', 'conf.d', '10-a.conf'), 'Host inc-*\n  Port 1010\n  User from-a\n');
  writeFileSync(join(fakeHome, '.ssh', 'conf.d', '20-b.conf'), 'User from-b-top\nHost inc-2\n  Port 2020\n');
  writeFileSync(join(fakeHome, '.ssh', 'conf.d', '.hidden.conf'), 'Port 9999\n');
  writeFileSync(join(fakeHome, '.ssh', 'conf.d', 'skip.txt'), 'Port 9998\n');
  const absDir = join(root, 'abs');
  mkdirSync(absDir);
  writeFileSync(join(absDir, 'only-when-active'), 'Port 3030\nHost *\n  User never\n');

  const main = writeConfig(`Host other
    Include ${absDir}/only-*
Host inc-*
    Include conf.d/*.conf
    HostName %h.inc
Host *
    User fallback
`);

  for (const alias of ['inc-1', 'inc-2', 'other', 'elsewhere']) {
    it(`resolves ${alias} like ssh (globs, relative paths, activity restored after the include)`, () => {
      assertSameAsSsh(main, alias, { globHome: fakeHome }, ['hostname', 'user', 'port']);
    });
  }

  it('does not let an Include inside a block that does not apply set anything', () => {
    assert.equal(resolve(main, 'elsewhere', { globHome: fakeHome }).user, 'fallback');
  });
});

describe('errors say which file and line', () => {
  function assertBothRefuse(text: string, pattern: RegExp): void {
    const file = writeConfig(text);
    const run = spawnSync('ssh', ['-G', '-F', file, 'h'], { encoding: 'utf8' });
    assert.notEqual(run.status, 0, 'ssh -G should refuse this configuration too');
    assert.throws(
      () => resolve(file, 'h'),
      (err: unknown) => err instanceof SshConfigError && err.message.startsWith(`${file} line 2: `) && pattern.test(err.message),
    );
  }

  it('rejects an unknown keyword unless IgnoreUnknown covers it', () => {
    assertBothRefuse('Host *\nHostNmae x\n', /bad configuration option "HostNmae"/);
    const file = writeConfig('IgnoreUnknown usekeychain,foo*\nUseKeychain yes\nFooBar 1\n');
    assertSameAsSsh(file, 'h');
  });

  it('rejects bad values even in a block that does not apply', () => {
    assertBothRefuse('Host nothing-matches\nPort 70000\n', /bad port "70000"/);
    assertBothRefuse('Host *\nUser "unterminated\n', /invalid quotes/);
    assertBothRefuse('Host *\nHostName\n', /no argument after keyword "HostName"/);
    assertBothRefuse('Host *\nConnectTimeout 5x\n', /invalid time value/);
    assertBothRefuse('Host *\nPort 22 23\n', /extra arguments/);
    assertBothRefuse('Host *\nStrictHostKeyChecking maybe\n', /unsupported value "maybe"/);
  });

  it('refuses a configuration file others could have written', () => {
    const file = writeConfig('Port 22\n');
    writeFileSync(file, 'Port 22\n', { mode: 0o666 });
    spawnSync('chmod', ['666', file]);
    const load = (options: { configFile?: string; userConfig?: string }) =>
      SshConfig.load({ home, localUser, env: {}, systemConfig: null, ...options }).resolveHost('h');
    assert.throws(() => load({ userConfig: file }), /bad owner or permissions on .*chmod go-w/);
    // Like ssh -F, a file named on the command line is not checked.
    assert.equal(load({ configFile: file }).port, 22);
  });

  it('names an unknown token and where it was', () => {
    const file = writeConfig('Host *\nIdentityFile /k/%z\n');
    assert.throws(() => resolve(file, 'h'), (err: unknown) => err instanceof SshConfigError && /line 2: .*unknown token "%z"/.test(err.message));
  });
});

describe('settings relaysync does not act on', () => {
  it('lists them with file, line and reason when they apply, and only then', () => {
    const file = writeConfig(`Host a
    SendEnv LANG
    ForwardAgent yes
Host b
    ForwardX11 yes
Match host a
    ControlMaster auto
`);
    const r = resolve(file, 'a');
    assert.deepEqual(
      r.ignored.map((i) => `${i.keyword} ${i.args.join(' ')} @${i.line}`),
      ['SendEnv LANG @2', 'ForwardAgent yes @3', 'ControlMaster auto @7'],
    );
    assert.match(r.ignored[1]!.reason, /never forwards your agent/);
    assert.match(r.ignored[2]!.reason, /-e ssh/);
  });

  it('knows every keyword OpenSSH knows, and nothing it does not', () => {
    // Every keyword ssh -G prints is one OpenSSH knows: none may be rejected as unknown.
    const keywords = spawnSync('ssh', ['-G', '-F', '/dev/null', 'x'], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((line) => line.split(' ')[0]!)
      .filter((k) => k !== '' && k !== 'host' && k !== 'canonicalizePermittedcnames');
    for (const keyword of keywords) {
      const file = writeConfig(`Host nothing-matches\n${keyword} x\n`);
      try {
        resolve(file, 'h');
      } catch (err) {
        assert.ok(!/bad configuration option/.test((err as Error).message), `${keyword}: ${(err as Error).message}`);
      }
    }
  });
});
