// The environment's proxy as kubectl (Go's http.ProxyFromEnvironment, golang.org/x/net/http/httpproxy) reads it:
// variable precedence, the implicit http:// scheme, loopback never proxied, and NO_PROXY's forms (the table follows
// the cases of Go's httpproxy tests). Pure: no connection is made to any address named here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bypassesProxy, proxyFromEnvironment, type ProxyEnvironment } from '../../src/core/connection/proxy.ts';

const target = (url: string) => {
  const u = new URL(url);
  return { protocol: u.protocol as 'https:' | 'http:', host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
};
const via = (env: ProxyEnvironment, url: string): string | undefined => {
  const r = proxyFromEnvironment(env, target(url));
  if (!r.ok) throw new Error(r.message);
  return r.proxy && `${r.proxy.scheme}://${r.proxy.host}:${r.proxy.port} (${r.proxy.source})`;
};

test('variables: HTTPS_PROXY for https, HTTP_PROXY for http, upper case first, no cross-fallback, bare host:port is http', () => {
  assert.equal(via({ HTTPS_PROXY: 'http://p1:3128', https_proxy: 'http://p2:3128' }, 'https://api.corp'), 'http://p1:3128 (HTTPS_PROXY)');
  assert.equal(via({ https_proxy: 'http://p2:3128' }, 'https://api.corp'), 'http://p2:3128 (https_proxy)');
  assert.equal(via({ HTTP_PROXY: 'http://p1:3128' }, 'https://api.corp'), undefined, 'https servers do not use HTTP_PROXY');
  assert.equal(via({ HTTPS_PROXY: 'http://p1:3128' }, 'http://api.corp'), undefined, 'http servers do not use HTTPS_PROXY');
  assert.equal(via({ HTTP_PROXY: 'p3:8080' }, 'http://api.corp'), 'http://p3:8080 (HTTP_PROXY)');
  assert.equal(via({ HTTPS_PROXY: 'socks5://s:1081' }, 'https://api.corp'), 'socks5://s:1081 (HTTPS_PROXY)');
  assert.equal(via({ HTTPS_PROXY: 'socks5h://s' }, 'https://api.corp'), 'socks5://s:1080 (HTTPS_PROXY)');
  assert.equal(via({ HTTPS_PROXY: '' }, 'https://api.corp'), undefined);
});

test('loopback is never proxied from the environment (Go), even when NO_PROXY does not list it', () => {
  const env = { HTTPS_PROXY: 'http://p:3128', HTTP_PROXY: 'http://p:3128' };
  for (const url of ['https://127.0.0.1:6443', 'https://127.0.0.2:6443', 'https://localhost:6443', 'https://[::1]:6443', 'http://127.0.0.1:8001', 'https://[::ffff:127.0.0.1]:6443']) {
    assert.equal(via(env, url), undefined, url);
  }
  // A name that only resolves to loopback is still proxied: Go looks at the name, not its address.
  assert.equal(via(env, 'https://api.localdev.test'), 'http://p:3128 (HTTPS_PROXY)');
});

test('NO_PROXY forms: *, domains with and without a dot, *.domain, host:port, IPs, CIDRs (v4 and v6)', () => {
  const cases: [string, string, number, boolean][] = [
    ['*', 'anything.corp', 443, true],
    ['foo.com', 'foo.com', 443, true],
    ['foo.com', 'bar.foo.com', 443, true],
    ['foo.com', 'barfoo.com', 443, false],
    ['.foo.com', 'foo.com', 443, false],
    ['.foo.com', 'bar.foo.com', 443, true],
    ['*.foo.com', 'bar.foo.com', 443, true],
    ['*.foo.com', 'foo.com', 443, false],
    ['foo.com:6443', 'foo.com', 6443, true],
    ['foo.com:6443', 'foo.com', 443, false],
    ['FOO.com', 'api.foo.COM', 443, true],
    ['10.0.0.0/8', '10.1.2.3', 6443, true],
    ['10.0.0.0/8', '11.1.2.3', 6443, false],
    ['10.1.2.3', '10.1.2.3', 6443, true],
    ['10.1.2.3:6443', '10.1.2.3', 6443, true],
    ['10.1.2.3:6443', '10.1.2.3', 443, false],
    ['fd00::/8', 'fd12::1', 443, true],
    ['fd00::/8', 'fe80::1', 443, false],
    ['[fd12::1]:443', 'fd12::1', 443, true],
    ['fd12::1', 'fd12:0::1', 443, true],
    ['10.0.0.0/8', 'ten.corp', 443, false],
    [' a.corp , b.corp ', 'b.corp', 443, true],
    [',,', 'b.corp', 443, false],
  ];
  for (const [noProxy, host, port, bypass] of cases) assert.equal(bypassesProxy(noProxy, host, port), bypass, `NO_PROXY=${noProxy} ${host}:${port}`);
  assert.equal(via({ HTTPS_PROXY: 'http://p:1', no_proxy: 'corp' }, 'https://api.corp'), undefined, 'no_proxy in lower case');
  assert.equal(via({ HTTPS_PROXY: 'http://p:1', NO_PROXY: 'other', no_proxy: 'corp' }, 'https://api.corp'), 'http://p:1 (HTTPS_PROXY)', 'NO_PROXY wins over no_proxy');
});

test('an unusable proxy variable is an error naming it, never a silent direct connection', () => {
  for (const value of ['ftp://p:21', 'https://p:443']) {
    const r = proxyFromEnvironment({ HTTPS_PROXY: value }, target('https://api.corp'));
    assert.ok(!r.ok && r.message.startsWith('HTTPS_PROXY'), value);
  }
  const withPassword = proxyFromEnvironment({ HTTPS_PROXY: 'ftp://u:hunter2@p' }, target('https://api.corp'));
  assert.ok(!withPassword.ok && !withPassword.message.includes('hunter2'));
});
