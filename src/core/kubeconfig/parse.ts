// Parses kubeconfig text into the few fields the tree needs, and reports malformed input with the line the YAML
// parser points at. The descriptive fields never hold secrets' values: only whether a user has them, and which kind
// of auth it is. The raw cluster and user maps (secrets included) are kept apart in `raw`, as Maps, for resolution:
// JSON.stringify renders a Map as {}, so a config that is logged or serialised by accident leaks nothing.
import { parseDocument, isMap } from 'yaml';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { parseBlockYaml } from './blockYaml.ts';

export type AuthKind = 'client-certificate' | 'token' | 'exec' | 'auth-provider' | 'basic' | 'none';

export interface KubeCluster {
  readonly name: string;
  readonly server: string;
  readonly tlsServerName?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly hasCertificateAuthority: boolean;
  readonly proxyUrl?: string;
}

export interface KubeUser {
  readonly name: string;
  readonly auth: AuthKind;
  /** The program the credentials run: the exec plugin's command, or an auth provider's cmd-path (a name, not a secret). */
  readonly execCommand?: string;
}

export interface KubeContext {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace?: string;
}

export interface Kubeconfig {
  readonly contexts: readonly KubeContext[];
  readonly clusters: readonly KubeCluster[];
  readonly users: readonly KubeUser[];
  readonly currentContext?: string;
  /** The raw `cluster:` and `user:` maps by name, first definition in the file winning. Hold secrets. */
  readonly raw: RawEntries;
}

export interface RawEntries {
  readonly clusters: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  readonly users: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

export interface ParseFailure {
  readonly message: string;
  /** 1-based line, when the parser knows it. */
  readonly line?: number;
}

export type ParseResult = { readonly ok: true; readonly config: Kubeconfig } | { readonly ok: false; readonly error: ParseFailure };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function parseKubeconfig(text: string): ParseResult {
  // Fast paths: the subset reader (what kubectl and the cluster tools write, read in one pass; it gives up on
  // anything else) and then js-yaml read a large kubeconfig (hundreds of contexts) several times faster than the
  // `yaml` Document API, which is needed only to point at the line of a problem. Both give the same values. Anything
  // they do not accept as a well-formed kubeconfig takes the slow path, so messages and lines come from one place.
  if (text.trim() === '') return { ok: true, config: { contexts: [], clusters: [], users: [], raw: { clusters: new Map(), users: new Map() } } };
  let root: unknown = parseBlockYaml(text);
  if (root === undefined) {
    try {
      root = loadYaml(text, { schema: CORE_SCHEMA });
    } catch {
      return parseWithLines(text);
    }
  }
  if (!isObj(root)) return parseWithLines(text);
  const fast = fromRoot(root, () => undefined);
  return fast.ok ? fast : parseWithLines(text);
}

function parseWithLines(text: string): ParseResult {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) {
    const line = lineAt(text, first.pos[0]);
    const message = (first.message.split('\n')[0] ?? first.message).replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, error: line === undefined ? { message } : { message, line } };
  }
  if (text.trim() === '') return { ok: true, config: { contexts: [], clusters: [], users: [], raw: { clusters: new Map(), users: new Map() } } };
  if (!isMap(doc.contents)) return { ok: false, error: { message: 'the file is not a YAML mapping (expected apiVersion, clusters, contexts, users)', line: 1 } };
  const root = doc.toJS() as Obj;
  const lineOf = (key: string): number | undefined => {
    const node = doc.get(key, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineAt(text, node.range[0]) : undefined;
  };
  return fromRoot(root, lineOf);
}

function fromRoot(root: Obj, lineOf: (key: string) => number | undefined): ParseResult {
  const fail = (message: string, key: string): ParseResult => {
    const line = lineOf(key);
    return { ok: false, error: line === undefined ? { message } : { message, line } };
  };
  for (const key of ['clusters', 'contexts', 'users'] as const) {
    const v = root[key];
    if (v !== undefined && v !== null && !Array.isArray(v)) return fail(`"${key}" must be a list`, key);
  }
  const clusters: KubeCluster[] = [];
  const rawClusters = new Map<string, Obj>();
  const rawUsers = new Map<string, Obj>();
  for (const entry of (root.clusters as unknown[] | null | undefined) ?? []) {
    const name = isObj(entry) ? str(entry.name) : undefined;
    const c = isObj(entry) && isObj(entry.cluster) ? entry.cluster : undefined;
    if (!name || !c) return fail('every entry of "clusters" needs a name and a cluster', 'clusters');
    if (!rawClusters.has(name)) rawClusters.set(name, c);
    const tlsServerName = str(c['tls-server-name']);
    const proxyUrl = str(c['proxy-url']);
    clusters.push({
      name,
      server: str(c.server) ?? '',
      insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
      hasCertificateAuthority: Boolean(str(c['certificate-authority-data']) || str(c['certificate-authority'])),
      ...(tlsServerName ? { tlsServerName } : {}),
      ...(proxyUrl ? { proxyUrl } : {}),
    });
  }
  const users: KubeUser[] = [];
  for (const entry of (root.users as unknown[] | null | undefined) ?? []) {
    const name = isObj(entry) ? str(entry.name) : undefined;
    if (!name || !isObj(entry)) return fail('every entry of "users" needs a name', 'users');
    const u = isObj(entry.user) ? entry.user : {};
    if (!rawUsers.has(name)) rawUsers.set(name, u);
    users.push(describeUser(name, u));
  }
  const contexts: KubeContext[] = [];
  for (const entry of (root.contexts as unknown[] | null | undefined) ?? []) {
    const name = isObj(entry) ? str(entry.name) : undefined;
    const c = isObj(entry) && isObj(entry.context) ? entry.context : undefined;
    if (!name || !c) return fail('every entry of "contexts" needs a name and a context', 'contexts');
    const namespace = str(c.namespace);
    contexts.push({ name, cluster: str(c.cluster) ?? '', user: str(c.user) ?? '', ...(namespace ? { namespace } : {}) });
  }
  const currentContext = str(root['current-context']);
  return { ok: true, config: { contexts, clusters, users, ...(currentContext ? { currentContext } : {}), raw: { clusters: rawClusters, users: rawUsers } } };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function describeUser(name: string, u: Obj): KubeUser {
  if (isObj(u.exec)) {
    const command = str(u.exec.command);
    return command ? { name, auth: 'exec', execCommand: command } : { name, auth: 'exec' };
  }
  if (isObj(u['auth-provider'])) {
    // gcp/azure run `cmd-path`; some providers run `config.exec`: either is a program, like an exec plugin.
    const cfg = isObj(u['auth-provider'].config) ? u['auth-provider'].config : {};
    const exec = isObj(cfg.exec) ? str(cfg.exec.command) : str(cfg.exec);
    const command = str(cfg['cmd-path']) ?? exec;
    return command ? { name, auth: 'auth-provider', execCommand: command } : { name, auth: 'auth-provider' };
  }
  if (u['client-certificate-data'] || u['client-certificate']) return { name, auth: 'client-certificate' };
  if (u.token || u.tokenFile || u['token-file']) return { name, auth: 'token' };
  if (u.username) return { name, auth: 'basic' };
  return { name, auth: 'none' };
}
