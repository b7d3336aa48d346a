// Kubeconfig text → text edits for one file: rename or delete a context, rewrite a cluster's server address, and
// normalise a freshly imported k3s/k0s file. Each returns the new text and the list of edits; bytes outside the
// edited values are kept (see TextSplicer). current-context is never pointed at another context.
import { KubeconfigEditError } from './editError.ts';
import { isAlias } from 'yaml';
import { checkName, contextCluster, contextWithRefs, entriesOf, innerMap, oneEntry, valueNode, LIST_OF, type Entry, type EntryKind } from './entries.ts';
import { parseServer, withAddress, isLocalOnlyHost } from './serverAddress.ts';
import { TextSplicer, type EditResult } from './textSplicer.ts';

export type { EditResult, TextEdit } from './textSplicer.ts';

function renameEntry(s: TextSplicer, e: Entry, to: string): void {
  s.setValue(e.node, 'name', to, [LIST_OF[e.kind], e.index], `${e.kind} "${e.name}" renamed to "${to}"`);
}

function pointContext(s: TextSplicer, ctx: Entry, kind: 'cluster' | 'user', to: string): void {
  s.setValue(innerMap(ctx), kind, to, ['contexts', ctx.index, 'context'], `context "${ctx.name}" now uses ${kind} "${to}"`);
}

function followCurrentContext(s: TextSplicer, from: string, to: string): void {
  if (s.model['current-context'] !== from) return;
  s.setValue(s.doc.contents, 'current-context', to, [], `current-context follows the renamed context "${to}"`);
}

/**
 * Renames a context. Its cluster and user entries are renamed with it when no other context uses them and the new
 * name is free among clusters (users), so a file stays readable; shared entries keep their names.
 */
export function renameContext(text: string, from: string, to: string): EditResult {
  const s = new TextSplicer(text);
  checkName('context', to);
  const { context, cluster, user } = contextWithRefs(s, from);
  if (from === to) return s.finish();
  const contexts = entriesOf(s, 'context');
  if (contexts.some((c) => c.name === to)) {
    throw new KubeconfigEditError('duplicate-name', `A context named "${to}" already exists; pick another name or delete that context first`);
  }
  renameEntry(s, context, to);
  for (const [kind, entry] of [['cluster', cluster], ['user', user]] as const) {
    if (!entry || entry.name === to) continue;
    const users = contexts.filter((c) => c.body[kind] === entry.name);
    const taken = entriesOf(s, kind).some((e) => e.name === to);
    if (users.length !== 1) {
      s.note(`${kind} "${entry.name}" keeps its name: other contexts use it too`);
      continue;
    }
    if (taken) {
      s.note(`${kind} "${entry.name}" keeps its name: a ${kind} named "${to}" already exists`);
      continue;
    }
    renameEntry(s, entry, to);
    pointContext(s, context, kind, to);
  }
  followCurrentContext(s, from, to);
  return s.finish();
}

export interface ServerChange {
  /** The new server URL (e.g. from withAddress). */
  readonly server: string;
  /** A name the server's certificate holds; null removes tls-server-name; undefined leaves it as is. */
  readonly tlsServerName?: string | null;
}

/** Rewrites the server of a context's cluster, and sets or clears its tls-server-name. */
export function rewriteServer(text: string, contextName: string, change: ServerChange): EditResult {
  const s = new TextSplicer(text);
  parseServer(change.server);
  if (typeof change.tlsServerName === 'string' && !/^[A-Za-z0-9.:*-]+$/.test(change.tlsServerName)) {
    throw new KubeconfigEditError('invalid-server', `"${change.tlsServerName}" is not a certificate name: use a DNS name or IP address`);
  }
  const { cluster } = contextCluster(s, contextName);
  const path = ['clusters', cluster.index, 'cluster'];
  const inner = innerMap(cluster);
  const others = entriesOf(s, 'context').filter((c) => c.name !== contextName && c.body.cluster === cluster.name);
  if (others.length > 0) s.note(`cluster "${cluster.name}" is shared: contexts ${others.map((c) => `"${c.name}"`).join(', ')} change too`);
  const alias = inner ? undefined : valueNode(cluster, 'cluster', false);
  if (isAlias(alias)) {
    // `cluster: *x`: this cluster gets its own copy with the change; the anchor's owner and its other aliases stay
    const next: Record<string, unknown> = { ...cluster.body, server: change.server };
    if (typeof change.tlsServerName === 'string') next['tls-server-name'] = change.tlsServerName;
    else if (change.tlsServerName === null) delete next['tls-server-name'];
    const what = [`server set to ${change.server}`];
    if (next['tls-server-name'] !== cluster.body['tls-server-name']) what.push(typeof next['tls-server-name'] === 'string' ? `tls-server-name set to ${next['tls-server-name']}` : 'tls-server-name removed');
    s.replaceWithData(alias, next, path, `cluster "${cluster.name}": ${what.join(', ')}; it no longer follows *${alias.source} (written out in full), so the clusters sharing &${alias.source} do not change`);
    return s.finish();
  }
  if (cluster.body.server !== change.server) s.setValue(inner, 'server', change.server, path, `cluster "${cluster.name}": server set to ${change.server}`);
  if (typeof change.tlsServerName === 'string' && cluster.body['tls-server-name'] !== change.tlsServerName) {
    s.setValue(inner, 'tls-server-name', change.tlsServerName, path, `cluster "${cluster.name}": tls-server-name set to ${change.tlsServerName}`, 'server');
  } else if (change.tlsServerName === null && 'tls-server-name' in cluster.body) {
    s.removeKey(inner, 'tls-server-name', path, `cluster "${cluster.name}": tls-server-name removed`);
  }
  return s.finish();
}

/**
 * Deletes a context, and its cluster and user entries when no other context uses them. A current-context that named
 * it is left as is (with a note), as kubectl does.
 */
export function deleteContext(text: string, name: string): EditResult {
  const s = new TextSplicer(text);
  const context = oneEntry(s, 'context', name);
  const contexts = entriesOf(s, 'context');
  s.removeItems('contexts', [context.index], () => `context "${name}" deleted`);
  for (const kind of ['cluster', 'user'] as const) {
    const ref = context.body[kind];
    if (typeof ref !== 'string') continue;
    const matching = entriesOf(s, kind).filter((e) => e.name === ref);
    const usedElsewhere = contexts.some((c) => c.index !== context.index && c.body[kind] === ref);
    if (matching.length !== 1 || usedElsewhere) continue;
    s.removeItems(LIST_OF[kind], [matching[0]!.index], () => `${kind} "${ref}" deleted (no other context uses it)`);
  }
  if (s.model['current-context'] === name) s.note(`current-context still names "${name}"; choose another with kubectl config use-context`);
  return s.finish();
}

export interface ImportNormalisation {
  /** The name for k3s's generic `default` context, cluster and user (e.g. the host). */
  readonly name: string;
  /** The host the file was fetched from: loopback and 0.0.0.0 servers are pointed at it. */
  readonly host: string;
}

/** Makes a kubeconfig fetched from a k3s/k0s node usable here: unique names, and a server reachable from here. */
export function normalizeImported(text: string, opts: ImportNormalisation): EditResult {
  const s = new TextSplicer(text);
  checkName('context', opts.name);
  const renamed = new Set<EntryKind>();
  for (const kind of ['context', 'cluster', 'user'] as const) {
    const all = entriesOf(s, kind);
    const generic = all.filter((e) => e.name === 'default');
    if (generic.length === 0 || opts.name === 'default') continue;
    if (generic.length > 1) oneEntry(s, kind, 'default');
    if (all.some((e) => e.name === opts.name)) {
      throw new KubeconfigEditError('duplicate-name', `The file already has a ${kind} named "${opts.name}"; pick another name`);
    }
    renameEntry(s, generic[0]!, opts.name);
    renamed.add(kind);
  }
  for (const ctx of entriesOf(s, 'context')) {
    for (const kind of ['cluster', 'user'] as const) if (renamed.has(kind) && ctx.body[kind] === 'default') pointContext(s, ctx, kind, opts.name);
  }
  if (renamed.has('context')) followCurrentContext(s, 'default', opts.name);
  for (const cluster of entriesOf(s, 'cluster')) {
    const server = cluster.body.server;
    if (typeof server !== 'string') continue;
    let host: string;
    try {
      host = parseServer(server).host;
    } catch {
      continue;
    }
    if (!isLocalOnlyHost(host)) continue;
    const next = withAddress(server, { host: opts.host });
    s.setValue(innerMap(cluster), 'server', next, ['clusters', cluster.index, 'cluster'], `cluster "${cluster.name ?? ''}": server ${server} → ${next}`);
  }
  return s.finish();
}
