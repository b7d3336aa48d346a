// Seeded generators for the subset YAML reader's property run: kubeconfigs in the shapes cluster tools and people
// write (k3s, kind, k0s, exec credential plugins with args and env lists, auth providers, comments, every quoting
// style, numbers and booleans, kubectl's and indented sequences, flow maps, CRLF, a leading `---`), and files that
// each use one YAML feature outside the subset (anchors, tags, block scalars, multi-line scalars, ...).
import { pick, type Rand } from './kubeconfigGenerator.ts';

const NAMES = ['default', 'kind-lab', 'k3s', 'Default', 'arn:aws:eks:eu-west-1:123456789012:cluster/prod', 'gke_proj_europe-west1_edge', 'héllo', 'with space', "it's", 'x#y', 'a,b', 'true', 'null', '123', '0x1F', '1.5', 'tab\there', 'quote"d', 'back\\slash', 'c-1', '-lead', 'x: y', '[z]', '~'];
/** Plain scalars of every core-schema kind; the last ones only in block context (`[` ends a plain scalar in flow). */
const SCALARS = ['true', 'false', 'True', 'null', '~', '', '0', '-0', '6443', '1.5', '.inf', '0o17', '0x1F', '1e3', '1_000', '1e400', 'IfAvailable', 'Never', 'v1', 'sts.amazonaws.com', 'a:b', 'a#b', 'é', 'x-[y]'];
const FLOW_SCALARS = SCALARS.filter((s) => s !== '' && !s.includes('['));

/** `v` written as a YAML scalar in a style that keeps its value, picked at random. */
function quote(r: Rand, v: string, inFlow = false): string {
  const style = r();
  const escapes = (s: string): string => s.replace(/[\\"\t\n]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\t': pick(r, ['\\t', '\\x09', '\\u0009']), '\n': '\\n' })[c]!);
  if (style < 0.25 || /[\t\n\\"]/.test(v) && style < 0.6) return `"${escapes(v).replace(/é/g, () => pick(r, ['é', '\\u00e9', '\\xe9']))}"`;
  if (style < 0.45 && !/[\t\n]/.test(v)) return `'${v.replace(/'/g, "''")}'`;
  const plainSafe = inFlow ? /^[A-Za-z0-9_./@é][A-Za-z0-9_./@é:-]*$/ : /^[A-Za-z0-9_./@é][A-Za-z0-9_./@é:#,[\]{}-]*$/;
  if (plainSafe.test(v) && !/:$|: | #/.test(v) && !/^(?:true|false|True|null|~|[-+.0-9].*)$/i.test(v)) return v;
  return JSON.stringify(v);
}

const comment = (r: Rand): string => (r() < 0.12 ? `${pick(r, [' ', '   '])}# ${pick(r, ['note', 'rotated 2026-11', 'x: y', '- item', '"q'])}` : '');

interface Layout {
  /** Indentation of a sequence's dashes under its key: 0 is kubectl's layout. */
  readonly seq: string;
  /** Indentation of a nested mapping. */
  readonly map: string;
  readonly eol: string;
}

/** Lines of a block sequence of mappings under `key` at indentation `at`, each item given as its entry lines. */
function blockList(r: Rand, l: Layout, at: string, key: string, items: string[][], lines: string[]): void {
  if (items.length === 0) {
    lines.push(`${at}${key}:${pick(r, [' []', '', ' null', ' ~'])}${comment(r)}`);
    return;
  }
  lines.push(`${at}${key}:${comment(r)}`);
  const dashAt = at + l.seq;
  for (const item of items) {
    if (r() < 0.08) lines.push(`${dashAt}${pick(r, ['', '  '])}# ${pick(r, ['entry', 'the next one'])}`);
    const gap = r() < 0.05 ? '   ' : ' ';
    item.forEach((line, i) => lines.push(i === 0 ? `${dashAt}-${gap}${line}` : `${dashAt} ${gap}${line}`));
  }
}

function execUser(r: Rand, l: Layout): string[] {
  const command = pick(r, ['aws', 'gke-gcloud-auth-plugin', 'kubelogin', '/usr/local/bin/k0s', 'C:\\bin\\plugin.exe']);
  const args = Array.from({ length: Math.floor(r() * 5) }, () => pick(r, ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'prod', 'get-token', '--login', 'devicecode', '-o', 'json']));
  const env = Array.from({ length: Math.floor(r() * 3) }, (_, i) => [pick(r, ['AWS_PROFILE', 'HOME', 'KUBECACHEDIR']) + i, pick(r, ['prod', '/tmp', 'a b', '0', 'true'])] as const);
  const ind = l.map + l.map;
  const out = ['user:', `${l.map}exec:`, `${ind}apiVersion: client.authentication.k8s.io/${pick(r, ['v1beta1', 'v1'])}`, `${ind}command: ${quote(r, command)}${comment(r)}`];
  if (args.length > 0 && r() < 0.5) out.push(`${ind}args: [${args.map((a) => quote(r, a, true)).join(', ')}]`);
  else if (args.length > 0) {
    out.push(`${ind}args:`);
    for (const a of args) out.push(`${ind}${l.seq}- ${quote(r, a)}${comment(r)}`);
  } else out.push(`${ind}args: ${pick(r, ['null', '[]'])}`);
  if (env.length > 0 && r() < 0.5) {
    out.push(`${ind}env:`);
    for (const [k, v] of env) out.push(`${ind}${l.seq}- {name: ${k}, value: ${quote(r, v, true)}}`);
  } else if (env.length > 0) {
    out.push(`${ind}env:`);
    for (const [k, v] of env) out.push(`${ind}${l.seq}- name: ${k}`, `${ind}${l.seq}  value: ${quote(r, v)}`);
  } else out.push(`${ind}env: null`);
  if (r() < 0.5) out.push(`${ind}interactiveMode: ${pick(r, ['IfAvailable', 'Never', 'Always'])}`, `${ind}provideClusterInfo: ${pick(r, ['true', 'false'])}`);
  if (r() < 0.3) out.push(`${ind}installHint: ${quote(r, 'Install the plugin:\n\tsee "docs" \\ é')}`);
  return out;
}

function user(r: Rand, l: Layout): string[] {
  const kind = r();
  if (kind < 0.3) return execUser(r, l);
  if (kind < 0.4) return ['user:', `${l.map}auth-provider:`, `${l.map}${l.map}name: ${pick(r, ['gcp', 'oidc', 'azure'])}`, `${l.map}${l.map}config: {cmd-path: ${quote(r, '/usr/bin/gcloud', true)}, expiry-key: '{.credential.token_expiry}', cmd-args: config config-helper --format=json}`];
  if (kind < 0.55) return [`user: {token: ${quote(r, 'dG9rZW4tMTIz', true)}}`];
  if (kind < 0.65) return ['user:', `${l.map}username: ${quote(r, pick(r, NAMES))}`, `${l.map}password: ${quote(r, pick(r, ['p@ss: w#rd', 'secret', '12345']))}`];
  return ['user:', `${l.map}client-certificate-data: ${'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t'.repeat(1 + Math.floor(r() * 4))}`, `${l.map}client-key-data: S0VZLUE=${comment(r)}`];
}

function cluster(r: Rand, l: Layout, i: number): string[] {
  const server = `https://${pick(r, ['127.0.0.1', '127.0.0.5', '127.0.0.8', 'localhost', '[::1]'])}:${6443 + i}`;
  if (r() < 0.2) return [`cluster: {server: ${quote(r, server, true)}, certificate-authority-data: Q0E=, insecure-skip-tls-verify: ${pick(r, ['true', 'false'])}}`];
  const out = ['cluster:', `${l.map}server: ${quote(r, server)}${comment(r)}`];
  if (r() < 0.7) out.push(`${l.map}certificate-authority-data: ${quote(r, 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJkekNDQVIyZ0F3')}`);
  if (r() < 0.2) out.push(`${l.map}tls-server-name: ${quote(r, '127.0.0.5')}`);
  if (r() < 0.15) out.push(`${l.map}proxy-url: socks5://localhost:1080`);
  if (r() < 0.15) out.push(`${l.map}extensions:`, `${l.map}${l.seq}- name: ${quote(r, 'client.authentication.k8s.io/exec')}`, `${l.map}${l.seq}  extension: {audience: ${quote(r, 'sts.amazonaws.com', true)}, n: ${pick(r, FLOW_SCALARS)}}`);
  if (r() < 0.1) out.push(`${l.map}${pick(r, ['"quoted-key"', "'single-key'", 'spaced-key  '])}: ${quote(r, pick(r, SCALARS))}`);
  return out;
}

/** A kubeconfig in the shapes the subset reader must read. */
export function richKubeconfig(r: Rand): string {
  const l: Layout = { seq: r() < 0.6 ? '' : pick(r, ['  ', '    ']), map: pick(r, ['  ', '    ']), eol: r() < 0.1 ? '\r\n' : '\n' };
  const lines: string[] = [];
  if (r() < 0.1) lines.push(pick(r, ['---', '--- # kubeconfig']));
  if (r() < 0.2) lines.push('# written by a tool');
  const n = Math.floor(r() * 5);
  const names = Array.from({ length: n }, (_, i) => `${pick(r, NAMES)}-${i}`);
  const top: (() => void)[] = [
    () => lines.push(`apiVersion: ${quote(r, 'v1')}`),
    () => lines.push(`kind: Config${comment(r)}`),
    () => lines.push(`preferences: ${pick(r, ['{}', '{colors: true}', 'null'])}`),
    () => blockList(r, l, '', 'clusters', names.map((nm, i) => (r() < 0.5 ? [`name: ${quote(r, nm)}`, ...cluster(r, l, i)] : [...cluster(r, l, i), `name: ${quote(r, nm)}`])), lines),
    () => blockList(r, l, '', 'contexts', names.map((nm) => [`name: ${quote(r, nm)}`, r() < 0.5 ? `context: {cluster: ${quote(r, nm, true)}, user: ${quote(r, nm, true)}}` : `context:\n${l.map}cluster: ${quote(r, nm)}\n${l.map}user: ${quote(r, nm)}${r() < 0.3 ? `\n${l.map}namespace: ${quote(r, pick(r, ['liqo', 'default', '~', 'true']))}` : ''}`].flatMap((s) => s.split('\n'))), lines),
    () => blockList(r, l, '', 'users', names.map((nm) => [`name: ${quote(r, nm)}`, ...user(r, l)]), lines),
  ];
  if (n > 0 || r() < 0.5) top.push(() => lines.push(`current-context: ${quote(r, names[0] ?? 'none')}${comment(r)}`));
  if (r() < 0.2) top.push(() => lines.push(`x-extra: {a: ${pick(r, FLOW_SCALARS)}, b: [x, ${quote(r, pick(r, NAMES), true)}], c: {}}`));
  for (let i = top.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [top[i], top[j]] = [top[j]!, top[i]!];
  }
  for (const f of top) f();
  if (r() < 0.15) lines.push(pick(r, ['# end', '', '   ']));
  return lines.join(l.eol) + (r() < 0.9 ? l.eol : '');
}

const EXOTIC: readonly (readonly [string, string])[] = [
  ['anchor and alias', 'clusters:\n- name: a\n  cluster: &c {server: https://x}\n- name: b\n  cluster: *c\n'],
  ['tag', 'apiVersion: !!str v1\nkind: Config\n'],
  ['local tag', 'users:\n- name: u\n  user: !secret {token: x}\n'],
  ['literal block scalar', 'users:\n- name: u\n  user:\n    token: |\n      abc\n'],
  ['folded block scalar', 'clusters:\n- name: a\n  cluster:\n    server: >-\n      https://x\n'],
  ['multi-line plain scalar', 'current-context: a\n  b\nkind: Config\n'],
  ['multi-line quoted scalar', 'current-context: "a\n  b"\n'],
  ['multi-line flow mapping', 'contexts:\n- name: a\n  context: {cluster: a,\n    user: a}\n'],
  ['second document', 'kind: Config\n---\nkind: Config\n'],
  ['document end marker', 'kind: Config\n...\n'],
  ['tab indentation', 'clusters:\n- name: a\n  cluster:\n\tserver: x\n'],
  ['tab before a comment', 'kind: Config\t# c\n'],
  ['complex key', '? kind\n: Config\n'],
  ['duplicate key', 'kind: Config\nkind: Config\n'],
  ['duplicate key after resolution', 'extensions: {1: a, 1.0: b}\n'],
  ['directive', '%YAML 1.2\n---\nkind: Config\n'],
  ['byte order mark', '\ufeffkind: Config\n'],
  ['empty sequence item', 'contexts:\n-\n  name: a\n'],
  ['nested compact sequence', 'x:\n- - a\n'],
  ['root sequence', '- kind: Config\n'],
  ['scalar on the line after its key', 'kind:\n  Config\n'],
  ['flow key without value', 'x: {a, b: c}\n'],
  ['__proto__ key', '__proto__: {polluted: true}\n'],
  ['comment-only file', '# nothing here\n'],
];

/** A kubeconfig (or fragment) using one feature outside the subset, named. */
export function exoticKubeconfig(r: Rand): { text: string; feature: string } {
  const [feature, body] = pick(r, EXOTIC);
  const prefix = r() < 0.5 || ['directive', 'byte order mark', 'comment-only file'].includes(feature) ? '' : 'apiVersion: v1\n';
  return { text: prefix + body, feature };
}
