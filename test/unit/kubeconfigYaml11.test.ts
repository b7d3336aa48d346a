// What the edits write must read back in kubectl, whose reader is YAML 1.1 (go-yaml): every string that YAML 1.1
// would read as a bool, null, number or timestamp is quoted. Checked here with the yaml package's YAML 1.1 reader;
// test/integration/kubeconfigCorpus.test.ts checks the same with kubectl itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { renameContext, rewriteServer } from '../../src/core/kubeconfig/edits.ts';
import { merge } from '../../src/core/kubeconfig/merge.ts';
import { extractContext } from '../../src/core/kubeconfig/extract.ts';
import { plainIsNotString, stringifyForKubectl } from '../../src/core/kubeconfig/yaml11Scalar.ts';
import { KubeconfigEditError, editOf } from '../../src/core/kubeconfig/editError.ts';
import { k3sDefault } from './kubeconfigShapes.ts';

/** Strings YAML 1.1 readers (go-yaml, PyYAML, the yaml package in 1.1 mode) do not read as strings when plain. */
export const YAML11_WORDS = [
  'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'FALSE', 'yEs', 'oN',
  '~', 'null', 'Null', 'NULL', '', '0b101', '0B11', '0o17', '017', '0x1F', '0x_1F', '1_000', '+12', '-3', '1e3', '1.5', '.5', '-.inf', '.NaN', '+.INF',
  '1:20', '190:20:30.15', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '-Infinity', '0x1p-2', '=', '<<',
];

const read11 = (text: string): unknown => parse(text, { version: '1.1' });

test('every YAML 1.1 word is one plainIsNotString quotes; ordinary names and URLs are not', () => {
  for (const w of YAML11_WORDS) assert.ok(plainIsNotString(w), w);
  for (const w of ['default', 'kind-a', 'arn:aws:eks:eu-west-1:123456789012:cluster/prod', 'https://127.0.0.1:6443', 'v1', '127.0.0.1', 'gke_p_z_c', '1st-cluster', 'yesterday', 'offline', 'node-01']) {
    assert.equal(plainIsNotString(w), false, w);
  }
});

test('stringifyForKubectl writes keys and values that read back in YAML 1.1 as the same strings', () => {
  const data = Object.fromEntries(YAML11_WORDS.map((w, i) => [w === '' ? `empty${i}` : w, w]));
  assert.deepEqual(read11(stringifyForKubectl(data)), data);
  assert.deepEqual(parse(stringifyForKubectl(data)), data, 'and in YAML 1.2');
});

test('Rename writes a YAML 1.1 word or number as a quoted name', () => {
  for (const to of ['0b101', 'on', 'Yes', '1:20', '2001-12-14', '0x_1F', '-Infinity']) {
    const out = renameContext(k3sDefault, 'default', to).text;
    const cfg = read11(out) as { contexts: { name: unknown; context: { cluster: unknown; user: unknown } }[]; 'current-context': unknown };
    assert.deepEqual([cfg.contexts[0]!.name, cfg.contexts[0]!.context.cluster, cfg.contexts[0]!.context.user, cfg['current-context']], [to, to, to, to], to);
  }
});

const withWords = `apiVersion: v1
kind: Config
clusters:
- name: on-prem
  cluster: {server: "https://127.0.0.1:6443"}
contexts:
- name: on-prem
  context: {cluster: on-prem, user: "yes", namespace: "on"}
users:
- name: "yes"
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: ["get-token", "--server-id", "0x1F", "--login", "off"]
      env:
      - {name: AZURE_USE_CLI, value: "yes"}
      - {name: RETRIES, value: "1_000"}
`;

test('Extract keeps YAML 1.1 words strings (namespace "on", env value "yes", args "off")', () => {
  const x = extractContext(withWords, 'on-prem', new Map());
  const got = read11(x.text) as Record<string, unknown>;
  const want = parse(withWords) as Record<string, unknown>;
  assert.deepEqual(got.contexts, want.contexts);
  assert.deepEqual(got.users, want.users);
});

test('Merge keeps YAML 1.1 words strings in the entries it adds', () => {
  const r = merge(k3sDefault, withWords, new Map());
  const got = read11(r.text) as { contexts: unknown[]; users: unknown[] };
  const want = parse(withWords) as { contexts: unknown[]; users: unknown[] };
  assert.deepEqual(got.contexts.at(-1), want.contexts[0]);
  assert.deepEqual(got.users.at(-1), want.users[0]);
});

test('Rewrite Server works on a context whose user is missing (only the cluster is edited)', () => {
  const noUser = k3sDefault.replace('    user: default\n', '    user: gone\n');
  const r = rewriteServer(noUser, 'default', { server: 'https://127.0.0.3:6443' });
  assert.equal(r.text, noUser.replace('https://127.0.0.1:6443', 'https://127.0.0.3:6443'));
});

test('an edit refusal names the file and the line', () => {
  const broken = 'apiVersion: v1\nclusters:\n- name: a\n  cluster: {server: [\n';
  assert.throws(
    () => editOf('/home/me/.kube/config', () => renameContext(broken, 'a', 'b')),
    (e: unknown) => e instanceof KubeconfigEditError && e.code === 'malformed-yaml' && e.file === '/home/me/.kube/config' && /\(\/home\/me\/\.kube\/config, line \d+\)$/.test(e.message),
  );
});
