// The pure parts of Import Kubeconfig over SSH and Open SSH Tunnel: the ssh argv (options that make a prompt an
// error and an unknown host key a refusal; nothing typed becomes an option), the fetch script (run here by a real
// POSIX sh against real files), failure classification from OpenSSH's own stderr lines, and the import's edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { sshArgv, parseDestination, checkTarget, SshInputError } from '../../src/core/ssh/sshTarget.ts';
import { whyNotProbedBeforeSave } from '../../src/core/ssh/preSaveProbe.ts';
import { DEFAULT_REMOTE_PATHS, FETCH_EXIT, fetchScript, parseFetchOutput, shQuote, checkRemotePath } from '../../src/core/ssh/remoteKubeconfig.ts';
import { classifySshFailure } from '../../src/core/ssh/sshFailure.ts';
import { draftImport, withTlsNames } from '../../src/core/ssh/importPlan.ts';
import { addTunnelContext, tunnelContextName } from '../../src/core/kubeconfig/tunnelContext.ts';
import { KubeconfigEditError } from '../../src/core/kubeconfig/editError.ts';
import { k3sDefault, kind, k0sAdmin } from './kubeconfigShapes.ts';

test('ssh argv: batch mode, strict host keys, the target after --, and a remote command last', () => {
  const argv = sshArgv({ host: 'edge.example', user: 'ops', port: 2222 }, {}, [], ['sh', '-s']);
  const opts = argv.flatMap((a, i) => (argv[i - 1] === '-o' ? [a] : []));
  assert.ok(opts.includes('BatchMode=yes'));
  assert.ok(opts.includes('StrictHostKeyChecking=yes'));
  assert.ok(!opts.some((o) => o.startsWith('UserKnownHostsFile')), 'the user keeps their own known_hosts');
  assert.ok(!argv.includes('-i'), 'the user keeps their own agent and keys');
  assert.deepEqual(argv.slice(-4), ['--', 'edge.example', 'sh', '-s']);
  assert.deepEqual(argv.slice(argv.indexOf('-p'), argv.indexOf('-p') + 4), ['-p', '2222', '-l', 'ops']);
});

test('ssh argv: tunnel options go before the destination; a jump host is normalised; test options are explicit', () => {
  const argv = sshArgv({ host: '127.0.0.5', jump: 'me@bastion:2200' }, { identityFile: '/tmp/k', knownHostsFile: '/tmp/kh' }, ['-N', '-L', '127.0.0.1:7000:127.0.0.9:6443']);
  assert.deepEqual(argv.slice(-5), ['-N', '-L', '127.0.0.1:7000:127.0.0.9:6443', '--', '127.0.0.5']);
  // No -J (its ssh would get none of these options): a ProxyCommand carries them to the jump.
  assert.ok(!argv.includes('-J'));
  assert.ok(argv.some((a) => a.startsWith('ProxyCommand=') && a.includes("'-p' '2200' '-l' 'me' '--' 'bastion'")));
  assert.ok(argv.includes('UserKnownHostsFile=/tmp/kh'));
  assert.deepEqual(sshArgv({ host: 'h' }, { configFile: '/tmp/cfg' }).slice(0, 2), ['-F', '/tmp/cfg']);
  assert.deepEqual(argv.slice(argv.indexOf('-i'), argv.indexOf('-i') + 2), ['-i', '/tmp/k']);
});

test('nothing typed becomes an ssh option or a second argument', () => {
  for (const host of ['-oProxyCommand=touch /tmp/x', 'a b', '', 'host;rm', 'h\nx']) {
    assert.throws(() => checkTarget({ host }), SshInputError, host);
  }
  assert.throws(() => checkTarget({ host: 'ok', user: '-lroot' }), SshInputError);
  assert.throws(() => checkTarget({ host: 'ok', port: 70000 }), /not a port/);
  assert.throws(() => sshArgv({ host: 'ok', jump: '-oProxyCommand=x' }, {}), SshInputError);
  assert.deepEqual(parseDestination('root@[fd00::1]:2222'), { host: 'fd00::1', user: 'root', port: 2222 });
  assert.deepEqual(parseDestination('bastion'), { host: 'bastion' });
});

test('remote paths: absolute or under ~/, never a control character; sh quoting survives quotes', () => {
  assert.throws(() => checkRemotePath('etc/k3s.yaml'), /absolute path/);
  assert.throws(() => checkRemotePath('/a\nb'), /not a remote path/);
  const word = `it's "odd" $HOME \`x\``;
  assert.equal(execFileSync('sh', ['-c', `printf %s ${shQuote(word)}`]).toString(), word);
});

function runScript(script: string, home: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-s'], { input: script, env: { PATH: process.env.PATH, HOME: home } });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

test('fetch script (run by sh): the first existing path wins, ~ is the remote home, the text is byte for byte', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'liqo-fetch-'));
  try {
    const home = path.join(dir, 'home');
    mkdirSync(path.join(home, '.kube'), { recursive: true });
    writeFileSync(path.join(home, '.kube', 'config'), k0sAdmin);
    const paths = [path.join(dir, "no such 'k3s'.yaml"), path.join(dir, 'absent.conf'), '~/.kube/config'];
    const r = runScript(fetchScript(paths, false), home);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parseFetchOutput(r.stdout, paths), { path: '~/.kube/config', text: k0sAdmin });

    const k3s = path.join(dir, 'k3s.yaml');
    writeFileSync(k3s, k3sDefault);
    const first = runScript(fetchScript([k3s, '~/.kube/config'], false), home);
    assert.deepEqual(parseFetchOutput(first.stdout, [k3s, '~/.kube/config']), { path: k3s, text: k3sDefault });

    const chatty = `Welcome to edge-1\n${first.stdout}`;
    assert.deepEqual(parseFetchOutput(chatty, [k3s, '~/.kube/config']), { path: k3s, text: k3sDefault }, 'a login banner on stdout is skipped');
    assert.equal(parseFetchOutput('Welcome\nno marker\n', [k3s]), undefined);

    const missing = runScript(fetchScript([path.join(dir, 'x'), path.join(dir, 'y')], false), home);
    assert.equal(missing.code, FETCH_EXIT.missing);
    assert.equal(missing.stdout, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fetch script: an unreadable file is its own exit, and the default list is k3s, k0s, ~/.kube/config', () => {
  assert.deepEqual(DEFAULT_REMOTE_PATHS, ['/etc/rancher/k3s/k3s.yaml', '/var/lib/k0s/pki/admin.conf', '~/.kube/config']);
  const script = fetchScript(DEFAULT_REMOTE_PATHS, false);
  assert.ok(!script.includes('sudo'), 'sudo only when asked');
  assert.match(fetchScript(DEFAULT_REMOTE_PATHS, true), /sudo -n true/);
  const invocations = fetchScript(DEFAULT_REMOTE_PATHS, true).replace(/command -v sudo|echo 'sudo: not installed'/g, '');
  assert.ok(!/sudo (?!-n )/.test(invocations), 'every sudo is sudo -n');
  if (process.getuid?.() === 0) return; // root reads every file: the unreadable branch cannot happen for it
  const dir = mkdtempSync(path.join(tmpdir(), 'liqo-fetch-'));
  try {
    const f = path.join(dir, 'k3s.yaml');
    writeFileSync(f, k3sDefault);
    chmodSync(f, 0);
    const r = runScript(fetchScript([f], false), dir);
    assert.equal(r.code, FETCH_EXIT.unreadable);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const target = { host: 'edge.example', user: 'ops', port: 2222 };

test('classification: OpenSSH stderr lines map to failures that name the input and the next step', () => {
  const unknown = classifySshFailure(255, 'No ED25519 host key is known for [edge.example]:2222 and you have requested strict checking.\r\nHost key verification failed.\r\n', { target });
  assert.equal(unknown.kind, 'unknown-host-key');
  assert.match(unknown.message, /ssh-keyscan -p 2222 edge\.example >> ~\/\.ssh\/known_hosts/);
  assert.match(unknown.message, /fingerprint/);

  const changed = classifySshFailure(255, '@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.\n', { target });
  assert.equal(changed.kind, 'changed-host-key');
  assert.match(changed.message, /ssh-keygen -R/);

  const refused = classifySshFailure(255, 'ssh: connect to host edge.example port 2222: Connection refused\r\n', { target });
  assert.equal(refused.kind, 'unreachable');
  assert.match(refused.message, /edge\.example:2222/);

  const denied = classifySshFailure(255, 'ops@edge.example: Permission denied (publickey).\r\n', { target });
  assert.equal(denied.kind, 'denied');
  assert.match(denied.message, /ssh-copy-id -p 2222 ops@edge\.example/);

  assert.equal(classifySshFailure(255, 'ssh: Could not resolve hostname edge.example: Name or service not known\r\n', { target }).kind, 'unresolved-host');

  const missing = classifySshFailure(FETCH_EXIT.missing, '', { target, paths: DEFAULT_REMOTE_PATHS });
  assert.equal(missing.kind, 'remote-file-missing');
  assert.match(missing.message, /\/etc\/rancher\/k3s\/k3s\.yaml, \/var\/lib\/k0s\/pki\/admin\.conf, ~\/\.kube\/config on edge\.example/);

  const sudo = classifySshFailure(FETCH_EXIT.sudoPassword, 'sudo: a password is required\n', { target });
  assert.equal(sudo.kind, 'sudo-password');
  assert.match(sudo.message, /NOPASSWD/);

  const unreadable = classifySshFailure(FETCH_EXIT.unreadable, 'unreadable: /etc/rancher/k3s/k3s.yaml\n', { target });
  assert.equal(unreadable.kind, 'remote-file-unreadable');
  assert.match(unreadable.message, /\/etc\/rancher\/k3s\/k3s\.yaml on edge\.example.*sudo/);

  const busy = classifySshFailure(255, 'bind [127.0.0.1]:7000: Address already in use\r\nchannel_setup_fwd_listener_tcpip: cannot listen to port: 7000\r\nCould not request local forwarding.\r\n', { target, localPort: 7000 });
  assert.equal(busy.kind, 'local-port-busy');
  assert.match(busy.message, /7000/);

  const forward = classifySshFailure(255, 'channel 1: open failed: connect failed: Connection refused\r\n', { target, forwardTo: '127.0.0.9:6443' });
  assert.equal(forward.kind, 'forward-refused');
  assert.match(forward.message, /127\.0\.0\.9:6443/);

  const other = classifySshFailure(1, 'something odd\n', { target });
  assert.equal(other.kind, 'other');
  assert.match(other.message, /ssh -p 2222 ops@edge\.example/);
});

test('classification of real sudo -n output, when this machine has sudo', () => {
  const r = spawnSync('sudo', ['-n', '-u', 'nobody', 'sudo', '-n', 'true'], { encoding: 'utf8' });
  if (r.error) return; // sudo not installed here: the string form above still covers it
  if (r.status === 0) return; // nobody may sudo here: nothing to classify
  assert.equal(classifySshFailure(FETCH_EXIT.sudoPassword, r.stderr, { target }).kind, 'sudo-password', r.stderr);
});

test('import draft: k3s default becomes the picked name, the loopback server the host, and tls-server-name keeps TLS', () => {
  const draft = draftImport(k3sDefault, { name: 'edge-1', host: '127.0.0.20' });
  assert.deepEqual(draft.contexts, ['edge-1']);
  assert.deepEqual(draft.rewritten, [{ context: 'edge-1', server: 'https://127.0.0.20:6443', oldHost: '127.0.0.1', hasTlsServerName: false }]);
  const notNamed = withTlsNames(draft, new Map([['https://127.0.0.20:6443', { dns: ['kubernetes', 'localhost'], ips: ['127.0.0.1', '127.0.0.43'] }]]));
  const cluster = (parse(notNamed.text) as { clusters: { cluster: Record<string, string> }[] }).clusters[0]!.cluster;
  assert.equal(cluster['tls-server-name'], '127.0.0.1');
  assert.equal(cluster.server, 'https://127.0.0.20:6443');
  assert.ok(!notNamed.text.includes('insecure-skip-tls-verify'));
  assert.ok(notNamed.summaries.some((s) => /tls-server-name set to 127\.0\.0\.1/.test(s)));

  const named = withTlsNames(draft, new Map([['https://127.0.0.20:6443', { dns: [], ips: ['127.0.0.1', '127.0.0.20'] }]]));
  assert.equal(named.text, draft.text, 'a certificate naming the host needs no tls-server-name');
  const unreachable = withTlsNames(draft, new Map());
  assert.equal(unreachable.text, draft.text);
  assert.match(unreachable.notes.join('\n'), /could not be read/);
});

test('import draft: a file that is not from k3s (kind) keeps its names; its loopback server is pointed at the host', () => {
  const draft = draftImport(kind, { name: 'lab', host: 'lab.example' });
  assert.deepEqual(draft.contexts, ['kind-mlops-platform', 'kind-cluster-b']);
  assert.deepEqual(draft.rewritten.map((r) => r.server), ['https://lab.example:39477', 'https://lab.example:41235']);
});

test('tunnel context: a copy of the cluster at the local end, same user, original untouched; reopening rewrites it', () => {
  const spec = { from: 'default', name: tunnelContextName('default'), server: 'https://127.0.0.1:7001', tlsServerName: '127.0.0.9' };
  const r = addTunnelContext(k3sDefault, spec);
  assert.ok(r.text.startsWith(k3sDefault.slice(0, k3sDefault.indexOf('contexts:'))) || r.text.includes('server: https://127.0.0.1:6443'));
  const kc = parse(r.text) as { clusters: { name: string; cluster: Record<string, string> }[]; contexts: { name: string; context: Record<string, string> }[] };
  const copy = kc.clusters.find((c) => c.name === 'default-tunnel')!.cluster;
  assert.equal(copy.server, 'https://127.0.0.1:7001');
  assert.equal(copy['tls-server-name'], '127.0.0.9');
  assert.equal(copy['certificate-authority-data'], kc.clusters.find((c) => c.name === 'default')!.cluster['certificate-authority-data']);
  assert.deepEqual(kc.contexts.find((c) => c.name === 'default-tunnel')!.context, { cluster: 'default-tunnel', user: 'default' });
  assert.equal(kc.clusters.find((c) => c.name === 'default')!.cluster.server, 'https://127.0.0.1:6443');

  const again = addTunnelContext(r.text, { ...spec, server: 'https://127.0.0.1:7002' });
  const kc2 = parse(again.text) as typeof kc;
  assert.equal(kc2.clusters.length, kc.clusters.length);
  assert.equal(kc2.clusters.find((c) => c.name === 'default-tunnel')!.cluster.server, 'https://127.0.0.1:7002');
  assert.throws(() => addTunnelContext(k3sDefault, { ...spec, from: 'nope' }), KubeconfigEditError);
});

test('pre-save probe: a user that runs a program or reads local files is not used before the save', () => {
  assert.match(whyNotProbedBeforeSave({ exec: { command: '/tmp/x', args: ['a'] } }) ?? '', /run \/tmp\/x on this machine/);
  assert.match(whyNotProbedBeforeSave({ 'auth-provider': { name: 'gcp', config: { 'cmd-path': 'gcloud' } } }) ?? '', /run gcloud/);
  assert.match(whyNotProbedBeforeSave({ 'auth-provider': { name: 'x', config: { exec: { command: 'kubelogin' } } } }) ?? '', /run kubelogin/);
  assert.match(whyNotProbedBeforeSave({ exec: null, tokenFile: '/home/u/.aws/t' }) ?? '', /tokenFile \/home\/u\/\.aws\/t/);
  assert.match(whyNotProbedBeforeSave({ 'client-certificate': 'c.pem', 'client-key': 'k.pem' }) ?? '', /client-certificate c\.pem, client-key k\.pem/);
  assert.equal(whyNotProbedBeforeSave({ token: 'abc' }), undefined);
  assert.equal(whyNotProbedBeforeSave({ 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5' }), undefined);
  assert.equal(whyNotProbedBeforeSave(undefined), undefined);
});

test('jump host: the ProxyCommand gives the jump ssh every option the target gets, argv-safe through a real sh', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'liqo-jump-'));
  try {
    // A stand-in for ssh that prints the argv it was given, one per line: what the shell made of the ProxyCommand.
    const printer = path.join(dir, "pr'int %args");
    writeFileSync(printer, '#!/bin/sh\nfor a in "$@"; do printf \'%s\\n\' "$a"; done\n');
    chmodSync(printer, 0o755);
    const awkward = path.join(dir, "known hosts 'x' %h $HOME `id`");
    const client = { identityFile: "/tmp/id key's", knownHostsFile: awkward, connectTimeoutSeconds: 7, extraOptions: { IdentityAgent: 'none', ExitOnForwardFailure: 'yes' }, configFile: '/tmp/cfg 1', sshPath: printer };
    const argv = sshArgv({ host: 'target.internal', port: 2222, jump: 'me@bastion:2200' }, client, ['-N']);
    const value = argv.find((a) => a.startsWith('ProxyCommand='))!.slice('ProxyCommand='.length);
    // What ssh does before the shell sees it: %h/%p become the target's host and port, %% becomes %, then `exec `.
    const expanded = value.replace(/%(.)/g, (_m, c: string) => (c === 'h' ? 'target.internal' : c === 'p' ? '2222' : c === '%' ? '%' : `%${c}`));
    const out = execFileSync('/bin/sh', ['-c', `exec ${expanded}`], { encoding: 'utf8' }).split('\n').slice(0, -1);
    assert.deepEqual(out, [
      '-F', '/tmp/cfg 1',
      '-o', 'BatchMode=yes',
      '-o', 'StrictHostKeyChecking=yes',
      '-o', 'ConnectTimeout=7',
      '-o', 'ServerAliveInterval=15',
      '-o', 'ServerAliveCountMax=3',
      '-o', `UserKnownHostsFile=${awkward}`,
      '-o', 'GlobalKnownHostsFile=/dev/null',
      '-i', "/tmp/id key's",
      '-o', 'IdentitiesOnly=yes',
      '-o', 'IdentityAgent=none',
      '-W', '[target.internal]:2222',
      '-p', '2200',
      '-l', 'me',
      '--', 'bastion',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
