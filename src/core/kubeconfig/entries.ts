// Finds a kubeconfig's named entries (contexts, clusters, users) both as data and as document nodes, and checks the
// references an edit depends on: a context's cluster and user must exist, and names must be unique.
import { isMap, isScalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { KubeconfigEditError } from './editError.ts';
import { findPair, type TextSplicer } from './textSplicer.ts';

export type EntryKind = 'context' | 'cluster' | 'user';
export const LIST_OF: Record<EntryKind, 'contexts' | 'clusters' | 'users'> = { context: 'contexts', cluster: 'clusters', user: 'users' };

export interface Entry {
  readonly kind: EntryKind;
  readonly index: number;
  readonly name: string | undefined;
  /** The entry's mapping in the document (undefined when it is an alias or not a mapping). */
  readonly node: YAMLMap | undefined;
  /** The entry's data, as kubectl reads it. */
  readonly data: Record<string, unknown>;
  /** The inner mapping (`context:`, `cluster:` or `user:`) as data. */
  readonly body: Record<string, unknown>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An entry whose node is looked up when asked: the list's entries may be built on demand (parseBlockYamlLocated). */
class ListEntry implements Entry {
  readonly kind: EntryKind;
  readonly index: number;
  readonly name: string | undefined;
  readonly data: Record<string, unknown>;
  readonly body: Record<string, unknown>;
  private readonly seq: YAMLSeq | undefined;

  constructor(kind: EntryKind, index: number, data: Record<string, unknown>, seq: YAMLSeq | undefined) {
    this.kind = kind;
    this.index = index;
    this.name = typeof data.name === 'string' ? data.name : undefined;
    this.data = data;
    const inner = data[kind];
    this.body = isObj(inner) ? inner : {};
    this.seq = seq;
  }

  get node(): YAMLMap | undefined {
    const item = this.seq && 'items' in this.seq ? this.seq.items[this.index] : undefined;
    return isMap(item) ? item : undefined;
  }
}

// An edit looks its entries up many times; they are read from the unchanging input, so once per splicer and kind.
const cache = new WeakMap<TextSplicer, Partial<Record<EntryKind, Entry[]>>>();

export function entriesOf(s: TextSplicer, kind: EntryKind): Entry[] {
  let byKind = cache.get(s);
  if (!byKind) cache.set(s, (byKind = {}));
  return (byKind[kind] ??= readEntries(s, kind));
}

function readEntries(s: TextSplicer, kind: EntryKind): Entry[] {
  const list = LIST_OF[kind];
  const data = s.model[list];
  const seq = (s.doc.contents && isMap(s.doc.contents) ? findPair(s.doc.contents, list)?.value : undefined) as YAMLSeq | undefined;
  if (!Array.isArray(data)) return [];
  return data.map((d, index) => new ListEntry(kind, index, isObj(d) ? d : {}, seq));
}

/** The one entry of that kind and name; missing and duplicated names are typed errors naming the fix. */
export function oneEntry(s: TextSplicer, kind: EntryKind, name: string, forContext?: string): Entry {
  const found = entriesOf(s, kind).filter((e) => e.name === name);
  const via = forContext === undefined ? '' : ` (used by context "${forContext}")`;
  if (found.length === 0) {
    const code = kind === 'context' ? 'missing-context' : kind === 'cluster' ? 'missing-cluster' : 'missing-user';
    throw new KubeconfigEditError(code, `The kubeconfig has no ${kind} named "${name}"${via}; add it or point the context at an existing ${kind}`);
  }
  if (found.length > 1) {
    throw new KubeconfigEditError('duplicate-name', `The kubeconfig has ${found.length} ${LIST_OF[kind]} named "${name}"${via}; rename or delete the extra ones first`, s.lineOf(found[1]!.node));
  }
  return found[0]!;
}

/** A context with the cluster entry it points at (its user is not looked at: it may be missing). */
export function contextCluster(s: TextSplicer, name: string): { context: Entry; cluster: Entry } {
  const context = oneEntry(s, 'context', name);
  const clusterName = context.body.cluster;
  if (typeof clusterName !== 'string' || clusterName === '') throw new KubeconfigEditError('missing-cluster', `Context "${name}" names no cluster; set its "cluster" field`, s.lineOf(context.node));
  return { context, cluster: oneEntry(s, 'cluster', clusterName, name) };
}

/** A context with the cluster and user entries it points at. */
export function contextWithRefs(s: TextSplicer, name: string): { context: Entry; cluster: Entry; user: Entry | undefined } {
  const { context, cluster } = contextCluster(s, name);
  const userName = context.body.user;
  const user = typeof userName === 'string' && userName !== '' ? oneEntry(s, 'user', userName, name) : undefined;
  return { context, cluster, user };
}

/** The value node of `key` inside an entry, or of `key` in its inner mapping when `inner` is true. */
export function valueNode(entry: Entry, key: string, inner: boolean): unknown {
  if (!entry.node) return undefined;
  const map = inner ? innerMap(entry) : entry.node;
  return map ? findPair(map, key)?.value : undefined;
}

export function innerMap(entry: Entry): YAMLMap | undefined {
  const v = entry.node ? findPair(entry.node, entry.kind)?.value : undefined;
  return isMap(v) ? v : undefined;
}

export function nameNode(entry: Entry): unknown {
  const v = valueNode(entry, 'name', false);
  return isScalar(v) || (v && typeof v === 'object' && 'source' in v) ? v : undefined;
}

/** Checks a name the user typed: non-empty, one line, no surrounding spaces. */
export function checkName(kind: EntryKind, name: string): void {
  if (name === '' || name.trim() !== name || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new KubeconfigEditError('invalid-name', `"${name}" is not a usable ${kind} name: use a non-empty name without line breaks or surrounding spaces`);
  }
}

/** `base`, or `base-2`, `base-3`, … whichever is not taken. */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}
