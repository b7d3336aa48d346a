// What connecting to a resolved context takes, as client-go reads the entries: data over files, relative paths
// against the defining file's folder, token over tokenFile, insecure only when written, proxy-url, and the
// conflicts kubectl refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionSpec, providedCredentialName } from '../../src/core/kubeconfig/connectionSpec.ts';
import type { ResolvedContext } from '../../src/core/kubeconfig/resolved.ts';

function ctx(cluster: Record<string, unknown>, user: Record<string, unknown> = {}): ResolvedContext {
  return {
    contextName: 'c',
    filePath: '/home/ada/.kube/config',
    cluster: { name: 'cl', fields: cluster, filePath: '/home/ada/.kube/config', baseDir: '/home/ada/.kube' },
    user: { name: 'us', fields: user, filePath: '/home/ada/users/u.yaml', baseDir: '/home/ada/users' },
  };
}

function spec(cluster: Record<string, unknown>, user?: Record<string, unknown>) {
  const r = connectionSpec(ctx(cluster, user));
  if (!r.ok) throw new Error(r.message);
  return r.spec;
}

test('server URL: port defaults, path prefix kept (Rancher), bare host:port taken as https, IPv6 unbracketed', () => {
  assert.deepEqual([spec({ server: 'https://k.example' }).port, spec({ server: 'http://127.0.0.1' }).port], [443, 80]);
  const rancher = spec({ server: 'https://rancher.example/k8s/clusters/c-m-abc12/' });
  assert.equal(rancher.basePath, '/k8s/clusters/c-m-abc12');
  assert.equal(rancher.host, 'rancher.example');
  const bare = spec({ server: '127.0.0.5:6443' });
  assert.deepEqual([bare.protocol, bare.host, bare.port, bare.basePath], ['https:', '127.0.0.5', 6443, '']);
  assert.equal(spec({ server: 'https://[fd00::1]:6443' }).host, 'fd00::1');
  const bad = connectionSpec(ctx({ server: 'ftp://x' }));
  assert.ok(!bad.ok && /neither https:\/\/ nor http:\/\//.test(bad.message));
});

test('certificates: data wins over file, relative files resolve against the folder of the file that defined them', () => {
  const s = spec(
    { server: 'https://a', 'certificate-authority': 'ca.crt', 'certificate-authority-data': 'QUFB', 'tls-server-name': 'kubernetes' },
    { 'client-certificate': '../certs/me.crt', 'client-key': '/abs/me.key' },
  );
  assert.deepEqual(s.ca, { data: 'QUFB' });
  assert.deepEqual(s.clientCertificate, { file: '/home/ada/certs/me.crt' });
  assert.deepEqual(s.clientKey, { file: '/abs/me.key' });
  assert.equal(s.tlsServerName, 'kubernetes');
  assert.deepEqual(spec({ server: 'https://a', 'certificate-authority': 'ca.crt' }).ca, { file: '/home/ada/.kube/ca.crt' });
  const half = connectionSpec(ctx({ server: 'https://a' }, { 'client-certificate-data': 'QQ==' }));
  assert.ok(!half.ok && /certificate but no key/.test(half.message));
});

test('TLS verification is skipped only when the file says so, and never together with a CA', () => {
  assert.equal(spec({ server: 'https://a' }).insecureSkipTlsVerify, false);
  assert.equal(spec({ server: 'https://a', 'insecure-skip-tls-verify': 'true' }).insecureSkipTlsVerify, false, 'a string is not the boolean true');
  assert.equal(spec({ server: 'https://a', 'insecure-skip-tls-verify': true }).insecureSkipTlsVerify, true);
  const both = connectionSpec(ctx({ server: 'https://a', 'insecure-skip-tls-verify': true, 'certificate-authority-data': 'QUFB' }));
  assert.ok(!both.ok && /kubectl refuses this too/.test(both.message));
});

test('credentials: token wins over tokenFile, basic auth, programs go to the provider, conflicts are refused', () => {
  assert.deepEqual(spec({ server: 'https://a' }, { token: 't', tokenFile: 'f' }).auth, { kind: 'token', token: 't' });
  assert.deepEqual(spec({ server: 'https://a' }, { tokenFile: 'sa/token' }).auth, { kind: 'tokenFile', file: '/home/ada/users/sa/token' });
  assert.deepEqual(spec({ server: 'https://a' }, { username: 'admin', password: 'pw' }).auth, { kind: 'basic', username: 'admin', password: 'pw' });
  assert.deepEqual(spec({ server: 'https://a' }, { exec: { command: 'kubelogin', args: ['get-token'] } }).auth, { kind: 'provider', program: 'kubelogin' });
  assert.deepEqual(spec({ server: 'https://a' }, {}).auth, { kind: 'none' });
  const both = connectionSpec(ctx({ server: 'https://a' }, { token: 't', username: 'u', password: 'p' }));
  assert.ok(!both.ok && /both username\/password and a token/.test(both.message));
  assert.equal(providedCredentialName({ 'auth-provider': { name: 'gcp', config: { 'cmd-path': '/usr/bin/gcloud' } } }), '/usr/bin/gcloud');
  assert.equal(providedCredentialName({ 'auth-provider': { name: 'oidc', config: { 'id-token': 'x' } } }), 'auth-provider oidc');
  assert.equal(providedCredentialName({ exec: {} }), 'exec (no command)');
  assert.equal(providedCredentialName({ token: 'x' }), undefined);
});

test('proxy-url: http:// and socks5:// with credentials are supported; other schemes get a clear error', () => {
  const s = spec({ server: 'https://a', 'proxy-url': 'http://bob:s%40cret@proxy.corp:3128' });
  assert.deepEqual(s.proxy, { scheme: 'http', host: 'proxy.corp', port: 3128, source: 'cluster "cl": proxy-url', authorization: `Basic ${btoa('bob:s@cret')}` });
  assert.deepEqual(spec({ server: 'https://a', 'proxy-url': 'http://proxy.corp' }).proxy, { scheme: 'http', host: 'proxy.corp', port: 80, source: 'cluster "cl": proxy-url' });
  // kubectl speaks SOCKS5 for proxy-url (issue 18: it was refused here).
  assert.deepEqual(spec({ server: 'https://a', 'proxy-url': 'socks5://127.0.0.1:1080' }).proxy, { scheme: 'socks5', host: '127.0.0.1', port: 1080, source: 'cluster "cl": proxy-url' });
  assert.deepEqual(spec({ server: 'https://a', 'proxy-url': 'socks5://u:p%3Aw@proxy.corp' }).proxy, { scheme: 'socks5', host: 'proxy.corp', port: 1080, source: 'cluster "cl": proxy-url', username: 'u', password: 'p:w' });
  const ftp = connectionSpec(ctx({ server: 'https://a', 'proxy-url': 'ftp://proxy.corp:21' }));
  assert.ok(!ftp.ok && /ftp:\/\/, which is not a proxy scheme kubectl knows/.test(ftp.message));
  const tlsProxy = connectionSpec(ctx({ server: 'https://a', 'proxy-url': 'https://proxy.corp' }));
  assert.ok(!tlsProxy.ok && /https:\/\/ proxy/.test(tlsProxy.message));
});

test('proxy from the environment: HTTPS_PROXY for https servers, the cluster\'s proxy-url wins, loopback never proxied', () => {
  const env = { HTTPS_PROXY: 'proxy.corp:3128', HTTP_PROXY: 'socks5://socks.corp', NO_PROXY: '.internal,10.0.0.0/8' };
  const of = (cluster: Record<string, unknown>, e: Record<string, string | undefined> = env) => {
    const r = connectionSpec(ctx(cluster), e);
    if (!r.ok) throw new Error(r.message);
    return r.spec.proxy;
  };
  assert.deepEqual(of({ server: 'https://api.corp:6443' }), { scheme: 'http', host: 'proxy.corp', port: 3128, source: 'HTTPS_PROXY' });
  assert.deepEqual(of({ server: 'http://api.corp:8080' }), { scheme: 'socks5', host: 'socks.corp', port: 1080, source: 'HTTP_PROXY' });
  assert.equal(of({ server: 'https://api.internal' }), undefined);
  assert.equal(of({ server: 'https://10.1.2.3:6443' }), undefined);
  assert.equal(of({ server: 'https://127.0.0.1:6443' }), undefined, 'loopback is never proxied from the environment');
  assert.equal(of({ server: 'https://localhost:6443' }), undefined);
  assert.equal(of({ server: 'https://[::1]:6443' }), undefined);
  assert.equal(of({ server: 'https://api.corp' }, {}), undefined);
  assert.equal(connectionSpec(ctx({ server: 'https://api.corp' })).ok && (connectionSpec(ctx({ server: 'https://api.corp' })) as { spec: { proxy?: unknown } }).spec.proxy, undefined, 'no environment given: no proxy');
  assert.deepEqual(of({ server: 'https://api.internal', 'proxy-url': 'socks5://127.0.0.1:1080' })?.scheme, 'socks5', 'proxy-url wins, NO_PROXY is for the environment');
  const bad = connectionSpec(ctx({ server: 'https://api.corp' }), { HTTPS_PROXY: 'ftp://x:1' });
  assert.ok(!bad.ok && /HTTPS_PROXY/.test(bad.message));
});
