// What a command started from a tree row (or the palette) acts on: the kubeconfig entry, its session's client and
// resolved context, and the namespace a namespace row stands for. Palette runs pick a cluster (and namespace).
// For a command that writes to clusters (deps.writes), a read-only context is refused here, as it is resolved.
import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/command.ts';
import { entryIdOf } from '../commands/command.ts';
import type { ClusterClient } from '../../infra/cluster/clusterClient.ts';
import type { ResolvedContext } from '../../core/kubeconfig/resolved.ts';

export interface ClusterTarget {
  readonly entryId: string;
  readonly contextName: string;
  readonly client: ClusterClient;
  readonly resolved: ResolvedContext | undefined;
}

function rowOf(deps: CommandDeps, arg: unknown) {
  return arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' ? deps.tree.view({ id: arg.id }) : undefined;
}

/** The kubeconfig entry a row (or an entry id argument) names, if the command was run on one. */
export function entryIdOfArg(deps: CommandDeps, arg: unknown): string | undefined {
  return rowOf(deps, arg)?.resource?.entryId ?? entryIdOf(deps.model, arg);
}

/** The clusters to pick from, as the palette shows them. */
export function clusterItems(deps: CommandDeps): { label: string; description: string; value: string }[] {
  return deps.model.clusters.map((c) => ({ label: c.contextName, description: `${deps.writes && deps.model.readOnly.matchOf(c.contextName) !== undefined ? '$(lock) read-only · ' : ''}${c.server}`, value: c.id }));
}

/** The connected cluster of a kubeconfig entry; an error that says what to do when it is gone or not connected. */
export function clusterTarget(deps: CommandDeps, entryId: string): ClusterTarget {
  const session = deps.model.session(entryId);
  if (!session) throw new Error('That cluster is no longer in the kubeconfig files. Refresh the Liqo view and try again.');
  // A writing command stops at the first read-only context it resolves: before any question, any read, any liqoctl.
  if (deps.writes) deps.model.readOnly.assertWritable(session.entry.contextName, deps.writes);
  const client = session.client;
  if (!client) throw new Error(`${session.entry.contextName} is not connected yet: open the Liqo view (or Retry Connection) and try again.`);
  return { entryId, contextName: session.entry.contextName, client, resolved: session.resolvedContext };
}

export async function pickCluster(deps: CommandDeps, arg: unknown, purpose: string): Promise<ClusterTarget | undefined> {
  let entryId = entryIdOfArg(deps, arg);
  if (!entryId) {
    const picked = await vscode.window.showQuickPick(clusterItems(deps), { title: purpose, placeHolder: 'Pick a cluster (kubeconfig context)' });
    entryId = picked?.value;
  }
  if (!entryId) return undefined;
  return clusterTarget(deps, entryId);
}

/** The Service a service row stands for (its cluster's entry, namespace and name), if the command was run on one. */
export function serviceOfArg(deps: CommandDeps, arg: unknown): { entryId: string; namespace: string; name: string } | undefined {
  const ref = rowOf(deps, arg)?.resource;
  if (ref?.kind !== 'services') return undefined;
  const slash = ref.key.indexOf('/');
  return slash < 0 ? undefined : { entryId: ref.entryId, namespace: ref.key.slice(0, slash), name: ref.key.slice(slash + 1) };
}

/** The namespace a namespace (or offloaded-namespace) row stands for, if the command was run on one. */
export function namespaceOfArg(deps: CommandDeps, arg: unknown): string | undefined {
  const ref = rowOf(deps, arg)?.resource;
  // A namespace row carries the Namespace (key: its name); an offloaded-namespace row its NamespaceOffloading
  // (key: namespace/offloading).
  if (ref?.kind === 'namespaces') return ref.key.split('/').pop();
  if (ref?.kind === 'namespaceoffloadings') return ref.key.split('/')[0];
  return undefined;
}

/** The cluster's namespaces that pass `filter` (told whether each is offloaded already). */
export async function namespacesOf(target: ClusterTarget, filter: (ns: { name: string; offloaded: boolean }) => boolean): Promise<string[]> {
  const list = await target.client.list('/api/v1/namespaces', {});
  const offloaded = new Set(
    (await target.client.list('/apis/offloading.liqo.io/v1beta1/namespaceoffloadings', {}).catch(() => ({ items: [] as unknown[] }))).items.map(
      (o) => (o as { metadata?: { namespace?: string } }).metadata?.namespace ?? '',
    ),
  );
  return list.items.map((n) => (n as { metadata?: { name?: string } }).metadata?.name ?? '').filter((n) => n && filter({ name: n, offloaded: offloaded.has(n) }));
}

/** The namespace a namespace (or offloaded-namespace) row stands for, else one picked from the cluster's namespaces. */
export async function pickNamespace(deps: CommandDeps, arg: unknown, target: ClusterTarget, filter: (ns: { name: string; offloaded: boolean }) => boolean): Promise<string | undefined> {
  const fromRow = namespaceOfArg(deps, arg);
  if (fromRow) return fromRow;
  return vscode.window.showQuickPick(await namespacesOf(target, filter), { title: `Namespace on ${target.contextName}` });
}
