// OpenSSH's own resolution (`ssh -G -F FILE HOST`) is the oracle: for each
// configuration the resolver must print what ssh would use.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
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
  env?: NodeJS.ProcessEnv;
  /** $HOME for ssh: OpenSSH globs relative Includes under it. */
  globHome?: string;
}

/** `ssh -G` output as keyword → values (keywords that repeat, like identityfile, collect). */
function oracle(file: string, alias: string, lookup: Lookup = {}): Map<string, string[]> {
  const args = ['-G', '-F', file];
  if (lookup.user) args.push('-l', lookup.user);
  if (lookup.port) args.push('-p', String(lookup.port));
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
    userConfig: file,
    systemConfig: null,
  });
  return config.resolveHost(alias, { user: lookup.user, port: lookup.port });
}

/** Our resolution in ssh -G's vocabulary, for the keywords relaysync honours. */
function asSshG(r: ResolvedHost): Record<string, string[]> {
  const yesNo = (b: boolean) => [b ? 'yes' : 'no'];
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
  };
}

/** Compares the honoured keywords; ssh -G prints IdentityFile and GlobalKnownHostsFile before their `~` is expanded, so that is done on its side. */
function assertSameAsSsh(file: string, alias: string, lookup: Lookup = {}, keys?: string[]): ResolvedHost {
  const ours = resolve(file, alias, lookup);
  const theirs = oracle(file, alias, lookup);
  const mine = asSshG(ours);
  for (const key of keys ?? Object.keys(mine)) {
    const homeSlash = home.replace(/\/?$/, '/');
    let expected = theirs.get(key) ?? [];
    if (key === 'globalknownhostsfile') expected = expected.map((list) => list.replace(/(^| )~\//g, `$1${homeSlash}`));
    if (key === 'identityfile') {
      expected = expected.map((p) => p.replace(/^~\//, homeSlash));
      // ssh lists the defaults it would try, including kinds relaysync cannot use.
      if (!ours.identityFilesConfigured) expected = expected.filter((p) => /id_(rsa|ecdsa|ed25519)$/.test(p));
    }
    assert.deepEqual(mine[key], expected, `${key} for ${alias}`);
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
    assert.throws(() => resolve(file, 'h'), /bad owner or permissions on .*chmod go-w/);
  });

  it('names an unknown token and where it was', () => {
    const file = writeConfig('Host *\nIdentityFile /k/%z\n');
    assert.throws(() => resolve(file, 'h'), (err: unknown) => err instanceof SshConfigError && /line 2: .*unknown token "%z"/.test(err.message));
  });
});

describe('settings relaysync does not act on yet', () => {
  it('lists them with file and line when they apply, and Match blocks as not evaluated', () => {
    const file = writeConfig(`Host a
    ProxyJump bastion
    SendEnv LANG
Host b
    ForwardAgent yes
Match host a
    Port 1234
`);
    const r = resolve(file, 'a');
    assert.deepEqual(
      r.ignored.map((i) => `${i.keyword} ${i.args.join(' ')} @${i.line}`),
      ['ProxyJump bastion @2', 'SendEnv LANG @3', 'Match host a @6'],
    );
    assert.equal(r.port, 22);
  });
});
