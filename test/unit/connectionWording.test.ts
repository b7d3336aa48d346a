import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeConnectionFailure } from '../../src/core/connection/describe.ts';

const server = 'https://127.0.0.5:6443';

test('each failure kind is explained with a next step', () => {
  const cases: [Parameters<typeof describeConnectionFailure>[0], string, RegExp, RegExp][] = [
    [{ server, code: 'TIMEOUT', message: 'x', timeoutMs: 5000 }, 'timeout', /No answer from 127\.0\.0\.5:6443 within 5 s/, /liqo\.connectionTimeoutSeconds/],
    [{ server, code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'refused', /Connection refused by 127\.0\.0\.5:6443/, /tunnel/],
    [{ server: 'https://k3s.example.invalid:6443', code: 'ENOTFOUND', message: 'getaddrinfo' }, 'dns', /Cannot resolve host k3s\.example\.invalid$/, /DNS/],
    [{ server, code: 'EHOSTUNREACH', message: 'x' }, 'unreachable', /Cannot reach 127\.0\.0\.5:6443/, /firewall/],
    [
      { server: 'https://127.0.0.7:6443', code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames: IP: 127.0.0.7 is not in the cert's list: 127.0.0.5, 127.0.0.1" },
      'tls-name-mismatch',
      /Certificate not valid for 127\.0\.0\.7/,
      /tls-server-name/,
    ],
    [{ server, code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'x' }, 'tls-unknown-authority', /not signed by the kubeconfig's certificate authority/, /recreated/],
    [{ server, code: 'CERT_HAS_EXPIRED', message: 'x' }, 'server-certificate-expired', /has expired/, /Renew/],
    [{ server, message: 'x', clientCertificateExpiredAt: '2025-01-02T00:00:00.000Z' }, 'client-certificate-expired', /Client certificate expired on 2025-01-02/, /fresh kubeconfig/],
    [{ server, code: 'EPROTO', message: 'wrong version number' }, 'not-tls', /does not answer with TLS/, /port/],
    [{ server, message: 'Unauthorized', httpStatus: 401 }, 'unauthorized', /Credentials rejected \(401/, /expired, revoked/],
    [{ server, message: 'forbidden', httpStatus: 403 }, 'forbidden', /forbidden/, /read access/],
    [{ server, code: 'ENOENT', message: 'spawn aws ENOENT', execCommand: 'aws' }, 'exec-plugin-missing', /Credential plugin "aws" not found/, /PATH/],
    [{ server, code: 'EXEC_FAILED', message: 'token expired', execCommand: 'kubelogin' }, 'exec-plugin-failed', /"kubelogin" failed/, /token expired/],
    [{ server, code: 'EXEC_BLOCKED', message: 'x', execCommand: 'aws' }, 'exec-blocked-untrusted', /restricted workspace/, /Trust/],
    [{ server, httpStatus: 502, message: 'Bad Gateway' }, 'http-error', /HTTP 502/, /proxy/],
    [{ server, code: 'EWEIRD', message: 'socket hang up' }, 'unknown', /Cannot connect to 127\.0\.0\.5:6443: socket hang up/, /output channel/],
  ];
  for (const [input, kind, summary, hint] of cases) {
    const p = describeConnectionFailure(input);
    assert.equal(p.kind, kind, JSON.stringify(input));
    assert.match(p.summary, summary, kind);
    assert.match(p.hint, hint, kind);
  }
});

test('the kubeconfig file is named in hints that ask to edit it', () => {
  const p = describeConnectionFailure({ server, code: 'ENOTFOUND', message: 'x', kubeconfigFile: '/home/ada/.kube/k3s.yaml' });
  assert.match(p.hint, /\/home\/ada\/\.kube\/k3s\.yaml/);
});

test('the names the certificate holds are shown on a mismatch', () => {
  const p = describeConnectionFailure({
    server: 'https://127.0.0.2:6443',
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    message: "Hostname/IP does not match certificate's altnames: IP: 127.0.0.2 is not in the cert's list: 127.0.0.1, ::1",
  });
  assert.equal(p.summary, 'Certificate not valid for 127.0.0.2 (it names 127.0.0.1, ::1)');
  const dns = describeConnectionFailure({
    server: 'https://api.example.invalid:6443',
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    message: "Hostname/IP does not match certificate's altnames: Host: api.example.invalid. is not in the cert's altnames: DNS:kubernetes, IP Address:127.0.0.5",
  });
  assert.equal(dns.summary, 'Certificate not valid for api.example.invalid (it names DNS:kubernetes, IP Address:127.0.0.5)');
});
