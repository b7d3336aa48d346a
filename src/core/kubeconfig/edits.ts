// Kubeconfig text → text edits for one file: rename or delete a context, rewrite a cluster's server address, and
// normalise a freshly imported k3s/k0s file. Each returns the new text and the list of edits; bytes outside the
// edited values are kept (see TextSplicer). current-context is never pointed at another context. Rename and delete
// take the references of the other files of a KUBECONFIG list (listReferences.ts), as kubectl merges them.
import { KubeconfigEditError } from './editError.ts';
import { isAlias } from 'yaml';
import { NO_OUTSIDE_REFERENCES, type OutsideReferences } from './listReferences.ts';
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

/** The file whose current-context kubectl uses names a renamed context: it follows (an edit of that other file). */
export function followRenamedContext(text: string, from: string, to: string): EditResult {
  const s = new TextSplicer(text);
  followCurrentContext(s, from, to);
  return s.finish();
}

/** A context's cluster and user entries in this file; one another file of the list defines is not required here. */
function refsInList(s: TextSplicer, name: string, outside: OutsideReferences): { context: Entry; cluster: Entry | undefined; user: Entry | undefined } {
  const context = oneEntry(s, 'context', name);
  const here = (kind: 'cluster' | 'user'): boolean => entriesOf(s, kind).some((e) => e.name === context.body[kind]);
  const elsewhere = (kind: 'cluster' | 'user'): boolean => !here(kind) && outside.definedElsewhere[kind].has(String(context.body[kind]));
  if (!elsewhere('cluster') && !elsewhere('user')) return contextWithRefs(s, name);
  const ref = (kind: 'cluster' | 'user'): Entry | undefined => {
    const n = context.body[kind];
    return typeof n === 'string' && n !== '' && !elsewhere(kind) ? oneEntry(s, kind, n, name) : undefined;
  };
  return { context, cluster: ref('cluster'), user: ref('user') };
}

/**
 * Renames a context. Its cluster and user entries are renamed with it when no other context (of this file or of
 * the rest of its KUBECONFIG list) uses them and the new name is free among clusters (users), so a file stays
 * readable; shared entries keep their names.
 */
export function renameContext(text: string, from: string, to: string, outside: OutsideReferences = NO_OUTSIDE_REFERENCES): EditResult {
  const s = new TextSplicer(text);
  checkName('context', to);
  const { context, cluster, user } = refsInList(s, from, outside);
  if (from === to) return s.finish();
  const contexts = entriesOf(s, 'context');
  if (contexts.some((c) => c.name === to) || outside.contexts.has(to)) {
    const where = outside.contexts.has(to) ? ' in another file of the KUBECONFIG list' : '';
    throw new KubeconfigEditError('duplicate-name', `A context named "${to}" already exists${where}; pick another name or delete that context first`);
  }
  renameEntry(s, context, to);
  for (const [kind, entry] of [['cluster', cluster], ['user', user]] as const) {
    if (!entry || entry.name === to) continue;
    const users = contexts.filter((c) => c.body[kind] === entry.name);
    const taken = entriesOf(s, kind).some((e) => e.name === to) || outside.definedElsewhere[kind].has(to);
    const usedOutside = outside.usedBy[kind].get(entry.name ?? '') ?? [];
    if (users.length !== 1 || usedOutside.length > 0) {
      s.note(`${kind} "${entry.name}" keeps its name: other contexts use it too${usedOutside.length ? ` (${usedOutside.join(', ')})` : ''}`);
      continue;
    }
    if (outside.definedEarlier[kind].has(entry.name ?? '')) {
      s.note(`${kind} "${entry.name}" keeps its name: an earlier file of the KUBECONFIG list defines it, and kubectl uses that one`);
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
export function deleteContext(text: string, name: string, outside: OutsideReferences = NO_OUTSIDE_REFERENCES): EditResult {
  const s = new TextSplicer(text);
  const context = oneEntry(s, 'context', name);
  const contexts = entriesOf(s, 'context');
  s.removeItems('contexts', [context.index], () => `context "${name}" deleted`);
  for (const kind of ['cluster', 'user'] as const) {
    const ref = context.body[kind];
    if (typeof ref !== 'string') continue;
    const matching = entriesOf(s, kind).filter((e) => e.name === ref);
    const usedElsewhere = contexts.some((c) => c.index !== context.index && c.body[kind] === ref);
    const usedOutside = outside.usedBy[kind].get(ref) ?? [];
    if (usedOutside.length > 0) s.note(`${kind} "${ref}" is kept: ${usedOutside.join(', ')} ${usedOutside.length === 1 ? 'uses' : 'use'} it`);
    if (matching.length !== 1 || usedElsewhere || usedOutside.length > 0) continue;
    s.removeItems(LIST_OF[kind], [matching[0]!.index], () => `${kind} "${ref}" deleted (no other context uses it)`);
  }
  if (s.model['current-context'] === name) s.note(`current-context still names "${name}"; choose another with kubectl config use-context`);
  else if (outside.currentContext?.name === name) s.note(`current-context in ${outside.currentContext.file} still names "${name}"; choose another with kubectl config use-context`);
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
