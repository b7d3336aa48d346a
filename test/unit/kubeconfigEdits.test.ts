// Kubeconfig edits on real-world shapes: each expected output is the input with exactly the intended substrings
// replaced (written out here, independent of the splicer), so every other byte is asserted unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { renameContext, rewriteServer, deleteContext, normalizeImported } from '../../src/core/kubeconfig/edits.ts';
import { parseAddress, withAddress } from '../../src/core/kubeconfig/serverAddress.ts';
import { chooseTlsServerName, heldNames, parseSubjectAltNames, tlsServerNameProblem } from '../../src/core/kubeconfig/tlsServerName.ts';
import { KubeconfigEditError } from '../../src/core/kubeconfig/editError.ts';
import { k3sDefault, kind, k0sAdmin, execCloud, handKept, manyContexts } from './kubeconfigShapes.ts';

/** `text` with each [from, to] applied once; `from` must occur exactly once after the given anchor text. */
function replaced(text: string, ...pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    const first = out.indexOf(from);
    assert.ok(first >= 0, `fixture lacks ${JSON.stringify(from)}`);
    assert.equal(out.indexOf(from, first + 1), -1, `fixture has ${JSON.stringify(from)} twice`);
    out = out.slice(0, first) + to + out.slice(first + from.length);
  }
  return out;
}

function editError(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof KubeconfigEditError && err.code === code && message.test(err.message));
}

test('k3s: import normalisation renames default everywhere and points the loopback server at the host', () => {
  const r = normalizeImported(k3sDefault, { name: 'edge-1', host: '127.0.0.20' });
  const expected = replaced(
    k3sDefault,
    ['server: https://127.0.0.1:6443\n  name: default', 'server: https://127.0.0.20:6443\n  name: edge-1'],
    ['cluster: default\n    user: default\n  name: default', 'cluster: edge-1\n    user: edge-1\n  name: edge-1'],
    ['current-context: default', 'current-context: edge-1'],
    ['- name: default\n  user:', '- name: edge-1\n  user:'],
  );
  assert.equal(r.text, expected);
  assert.ok(r.edits.some((e) => e.summary.includes('127.0.0.1:6443 → https://127.0.0.20:6443')));
  assert.ok(r.edits.every((e) => !e.summary.includes('LS0t')), 'no certificate data in summaries');
});

test('k0s admin.conf: localhost server is rewritten, names other than default are kept', () => {
  const r = normalizeImported(k0sAdmin, { name: 'k0s-lab', host: '127.0.0.21' });
  assert.equal(r.text, replaced(k0sAdmin, ['https://localhost:6443', 'https://127.0.0.21:6443']));
});

test('kind: rename a context takes its unshared cluster and user along; current-context follows', () => {
  const r = renameContext(kind, 'kind-mlops-platform', 'mlops');
  const expected = replaced(
    kind,
    ['server: https://127.0.0.1:39477\n  name: kind-mlops-platform', 'server: https://127.0.0.1:39477\n  name: mlops'],
    ['cluster: kind-mlops-platform\n    user: kind-mlops-platform\n  name: kind-mlops-platform', 'cluster: mlops\n    user: mlops\n  name: mlops'],
    ['current-context: kind-mlops-platform', 'current-context: mlops'],
    ['- name: kind-mlops-platform\n', '- name: mlops\n'],
  );
  assert.equal(r.text, expected);
});

test('rename keeps shared entries and says why', () => {
  const r = renameContext(handKept, 'lab-readonly', 'lab-ro');
  assert.equal(r.text, replaced(handKept, ['- name: lab-readonly', '- name: lab-ro']).replace('- name: viewer', '- name: lab-ro').replace('user: viewer', 'user: lab-ro'));
  assert.match(r.notes.join('\n'), /cluster "lab" keeps its name: other contexts use it too/);
});

test('rename keeps quoting style, comments, anchors and the missing final newline', () => {
  const r = renameContext(handKept, 'lab', 'lab-main');
  // lab's cluster is shared with lab-readonly and its context body is an anchor: only the names change.
  assert.equal(
    r.text,
    replaced(handKept, ['  - name: lab\n    context: &labctx', '  - name: lab-main\n    context: &labctx'], ['current-context: lab\n', 'current-context: lab-main\n'], ['- name: lab-admin', '- name: lab-main'], ['user: lab-admin', 'user: lab-main']),
  );
  assert.ok(!r.text.endsWith('\n'));
});

test('rename refuses an existing name and a missing context, naming them', () => {
  editError(() => renameContext(kind, 'kind-cluster-b', 'kind-mlops-platform'), 'duplicate-name', /context named "kind-mlops-platform" already exists/);
  editError(() => renameContext(kind, 'nope', 'x'), 'missing-context', /no context named "nope"/);
  editError(() => renameContext(kind, 'kind-cluster-b', ' spaced '), 'invalid-name', /not a usable context name/);
});

test('rewrite server: quoted server stays quoted; tls-server-name is added after server with its indentation', () => {
  const r = rewriteServer(handKept, 'lab', { server: 'https://127.0.0.1:16443', tlsServerName: '127.0.0.5' });
  assert.equal(r.text, replaced(handKept, ['server: "https://127.0.0.5:6443"   # node IP\n', 'server: "https://127.0.0.1:16443"   # node IP\n      tls-server-name: 127.0.0.5\n']));
  assert.match(r.notes.join('\n'), /shared: contexts "lab-readonly" change too/);
  const back = rewriteServer(r.text, 'lab', { server: 'https://127.0.0.5:6443', tlsServerName: null });
  assert.equal(back.text, handKept);
});

test('rewrite server in a flow mapping and on an exec-plugin cloud config', () => {
  const r = rewriteServer(handKept, 'edge', { server: 'https://127.0.0.1:7443', tlsServerName: 'edge.example.net' });
  assert.equal(r.text, replaced(handKept, ['{server: https://127.0.0.6:6443, certificate-authority-data: *labca}', '{server: https://127.0.0.1:7443, tls-server-name: edge.example.net, certificate-authority-data: *labca}']));
  const eks = 'arn:aws:eks:eu-west-1:123456789012:cluster/prod';
  const e = rewriteServer(execCloud, eks, { server: withAddress('https://127.0.1.10', { host: '127.0.0.1', port: 8443 }) });
  assert.equal(e.text, replaced(execCloud, ['"https://127.0.1.10"', '"https://127.0.0.1:8443"']));
});

test('rewrite server of a context whose cluster is missing is refused with the fix', () => {
  const broken = kind.replace('    cluster: kind-cluster-b\n', '    cluster: gone\n');
  editError(() => rewriteServer(broken, 'kind-cluster-b', { server: 'https://1.2.3.4:6443' }), 'missing-cluster', /no cluster named "gone" \(used by context "kind-cluster-b"\)/);
  editError(() => rewriteServer(kind, 'kind-cluster-b', { server: 'ftp:/x' }), 'invalid-server', /not a server address/);
});

test('delete context removes its unshared cluster and user, leaves current-context with a note', () => {
  const r = deleteContext(kind, 'kind-mlops-platform');
  const expected = replaced(
    kind,
    ['- cluster:\n    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNBCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K\n    server: https://127.0.0.1:39477\n  name: kind-mlops-platform\n', ''],
    ['- context:\n    cluster: kind-mlops-platform\n    user: kind-mlops-platform\n  name: kind-mlops-platform\n', ''],
    ['- name: kind-mlops-platform\n  user:\n    client-certificate-data: Q0VSVC1B\n    client-key-data: S0VZLUE=\n', ''],
  );
  assert.equal(r.text, expected);
  assert.match(r.notes.join('\n'), /current-context still names "kind-mlops-platform"/);
});

test('deleting the only context leaves empty lists, and a broken context can be deleted', () => {
  const r = deleteContext(k3sDefault, 'default');
  const v = parse(r.text) as Record<string, unknown>;
  assert.deepEqual([v.clusters, v.contexts, v.users], [[], [], []]);
  assert.equal(v['current-context'], 'default');
  const broken = kind.replace('    cluster: kind-cluster-b\n', '    cluster: gone\n');
  const d = deleteContext(broken, 'kind-cluster-b');
  assert.equal((parse(d.text) as { contexts: unknown[] }).contexts.length, 1);
});

test('delete in a flow context list and with comments between entries keeps the comments', () => {
  const r = deleteContext(handKept, 'lab-readonly');
  assert.equal(r.text, replaced(handKept, ['  - name: lab-readonly\n    context:\n      cluster: lab\n      user: viewer\n', ''], ['  - name: viewer\n    user:\n      token: c2VjcmV0LXRva2Vu\n', '']));
  const edge = deleteContext(handKept, 'edge');
  assert.equal(edge.text, replaced(handKept, ['  - name: edge\n    cluster: {server: https://127.0.0.6:6443, certificate-authority-data: *labca}\n', ''], ['  - name: edge\n    context: {cluster: edge, user: edge}\n', ''], ['  - name: edge\n    user: *adminuser\n', '']));
  // lab-admin holds the anchor edge's user aliases: the alias gets the value written out (kubeconfigAnchors.test.ts).
  const lab = parse(deleteContext(handKept, 'lab').text, { merge: true }) as { users: { name: string; user: unknown }[] };
  assert.deepEqual(lab.users.map((u) => [u.name, u.user]), [['viewer', { token: 'c2VjcmV0LXRva2Vu' }], ['edge', { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' }]]);
});

test('malformed YAML and duplicate names are typed errors with a line', () => {
  editError(() => renameContext('apiVersion: v1\ncontexts:\n- name: a\n  context: {cluster: a\n', 'a', 'b'), 'malformed-yaml', /not valid YAML.*line \d+/);
  const dup = kind.replace('  name: kind-cluster-b\ncontexts', '  name: kind-mlops-platform\ncontexts');
  editError(() => rewriteServer(dup, 'kind-mlops-platform', { server: 'https://1.2.3.4:1' }), 'duplicate-name', /2 clusters named "kind-mlops-platform".*line \d+/);
  editError(() => renameContext('- a\n- b\n', 'a', 'b'), 'not-a-kubeconfig', /not a YAML mapping/);
});

test('500 contexts: an edit in the middle changes only its own lines', () => {
  const big = manyContexts(500);
  const r = renameContext(big, 'ctx-250', 'mid');
  assert.equal(
    r.text,
    replaced(big, ['  name: c250\n', '  name: mid\n'], ['    cluster: c250\n    user: u250\n  name: ctx-250\n', '    cluster: mid\n    user: mid\n  name: mid\n'], ['- name: u250\n', '- name: mid\n']),
  );
  const s = rewriteServer(big, 'ctx-499', { server: 'https://127.0.0.1:9443', tlsServerName: '127.1.243.1' });
  assert.equal(s.text, replaced(big, ['server: https://127.1.243.1:6443\n', 'server: https://127.0.0.1:9443\n    tls-server-name: 127.1.243.1\n']));
});

test('server address helper keeps scheme and path and brackets IPv6', () => {
  assert.equal(withAddress('https://127.0.0.5:6443', { port: 16443 }), 'https://127.0.0.5:16443');
  assert.equal(withAddress('https://api.example/k8s/clusters/c-1', { host: '::1', port: 443 }), 'https://[::1]:443/k8s/clusters/c-1');
  editError(() => withAddress('https://a:1', { host: 'bad host' }), 'invalid-server', /not a host name/);
});

test('typed addresses: host, host:port, :port and bracketed IPv6; anything else is refused', () => {
  assert.deepEqual(parseAddress('127.0.0.1:16443'), { host: '127.0.0.1', port: 16443 });
  assert.deepEqual(parseAddress(':7443'), { port: 7443 });
  assert.deepEqual(parseAddress('edge.example.net'), { host: 'edge.example.net' });
  assert.deepEqual(parseAddress('[fd00::1]:6443'), { host: 'fd00::1', port: 6443 });
  for (const bad of ['', 'a b', 'h:0', 'h:70000', 'h:x']) assert.equal(parseAddress(bad), undefined, bad);
});

test('tls-server-name choice: none when the certificate names the new host, else the old host, else a held name', () => {
  const names = parseSubjectAltNames('DNS:kubernetes, DNS:*.lab.example, IP Address:127.0.0.1, IP Address:127.0.0.5');
  assert.deepEqual(names, { dns: ['kubernetes', '*.lab.example'], ips: ['127.0.0.1', '127.0.0.5'] });
  assert.deepEqual(chooseTlsServerName('api.lab.example', names, '127.0.0.5'), { needed: false });
  assert.deepEqual(chooseTlsServerName('a.b.lab.example', names, '127.0.0.5'), { needed: true, name: '127.0.0.5' });
  assert.deepEqual(chooseTlsServerName('127.0.0.2', names, '127.0.0.9'), { needed: true, name: 'kubernetes' });
  assert.deepEqual(chooseTlsServerName('127.0.0.2', parseSubjectAltNames(undefined)), { needed: true, name: undefined });
});

test('the error row\'s fix: the name typed for tls-server-name must be one the certificate holds', () => {
  const names = parseSubjectAltNames('DNS:kubernetes, DNS:*.lab.example, IP Address:127.0.0.1');
  assert.deepEqual(heldNames(names), ['kubernetes', '127.0.0.1']);
  assert.equal(tlsServerNameProblem('kubernetes', names), undefined);
  assert.equal(tlsServerNameProblem(' 127.0.0.1 ', names), undefined);
  assert.equal(tlsServerNameProblem('api.lab.example', names), undefined);
  assert.equal(tlsServerNameProblem('127.0.0.2', names), 'The certificate does not name 127.0.0.2: use one of kubernetes, 127.0.0.1.');
  assert.equal(tlsServerNameProblem('a.b.lab.example', names), 'The certificate does not name a.b.lab.example: use one of kubernetes, 127.0.0.1.');
  assert.equal(tlsServerNameProblem('', names), 'Type a name the certificate holds.');
  assert.equal(tlsServerNameProblem('x', parseSubjectAltNames(undefined)), 'The certificate names no host or IP.');
});
