// The clusters a log command can read: every kubeconfig context the model knows whose session has a client, as
// the infra layer's ClusterHandles (and every context's server and CA, to follow an Admiralty Target's kubeconfig),
// and the pickers that choose a cluster, a pod and the log options.
import * as vscode from 'vscode';
import type { FederationModel } from '../../infra/federationModel.ts';
import { ClusterDirectory, type ClusterHandle } from '../../infra/logs/clusterDirectory.ts';
import { parseSince, type LogOptions } from '../../core/logs/logSource.ts';
import type { TreeNodeView } from '../../core/tree/view.ts';
import type { FederationTreeProvider } from '../federationTreeProvider.ts';

export function clusterHandles(model: FederationModel): ClusterHandle[] {
  return model.clusters.flatMap((e) => {
    const client = model.session(e.id)?.client;
    return client ? [{ context: e.contextName, client }] : [];
  });
}

/** One directory per model (cluster IDs are cached there). */
const directories = new WeakMap<FederationModel, ClusterDirectory>();
export function directoryOf(model: FederationModel): ClusterDirectory {
  let d = directories.get(model);
  if (!d) {
    d = new ClusterDirectory(
      () => clusterHandles(model),
      () => model.clusters.map((e) => model.session(e.id)?.endpoint ?? { context: e.contextName, server: e.server, caFingerprints: [] }),
    );
    directories.set(model, d);
  }
  return d;
}

export interface RowObject {
  readonly handle: ClusterHandle;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** The cluster and object a tree row stands for (pods, ShadowPods, namespaces). */
export function rowObject(model: FederationModel, tree: FederationTreeProvider, arg: unknown): RowObject | undefined {
  const row: TreeNodeView | undefined = arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' ? tree.view({ id: arg.id }) : undefined;
  const ref = row?.resource;
  if (!ref) return undefined;
  const session = model.session(ref.entryId);
  const client = session?.client;
  if (!session || !client) throw new Error(`${session?.entry.contextName ?? 'The cluster'} is not connected yet: expand it in the Liqo view, then try again.`);
  const [namespace, name] = ref.key.includes('/') ? (ref.key.split('/', 2) as [string, string]) : [ref.key, ref.key];
  return { handle: { context: session.entry.contextName, client }, kind: ref.kind, namespace, name };
}

export async function pickCluster(model: FederationModel, title: string): Promise<ClusterHandle | undefined> {
  const hs = clusterHandles(model);
  if (hs.length === 0) throw new Error('No connected cluster: open the Liqo view so that it connects to your kubeconfig contexts, then try again.');
  if (hs.length === 1) return hs[0];
  const pick = await vscode.window.showQuickPick(hs.map((h) => ({ label: h.context, handle: h })), { title, placeHolder: 'Cluster (kubeconfig context)' });
  return pick?.handle;
}

interface PodItem {
  metadata: { name: string; namespace?: string };
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
  status?: { phase?: string };
}

export async function pickPod(h: ClusterHandle, title: string, signal: AbortSignal): Promise<{ namespace: string; name: string } | undefined> {
  const list = await h.client.list('/api/v1/pods', { limit: 2000 }, signal);
  const items = (list.items as PodItem[]).map((p) => ({ label: p.metadata.name, description: `${p.metadata.namespace ?? ''} · ${p.status?.phase ?? ''}`, pod: p }));
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: `Pod on ${h.context}`, matchOnDescription: true });
  return pick ? { namespace: pick.pod.metadata.namespace ?? 'default', name: pick.pod.metadata.name } : undefined;
}

export async function podContainers(h: ClusterHandle, namespace: string, name: string, signal: AbortSignal): Promise<string[]> {
  const p = await h.client.get<PodItem>(`/api/v1/namespaces/${namespace}/pods/${name}`, undefined, signal);
  return [...(p?.spec?.initContainers ?? []), ...(p?.spec?.containers ?? [])].map((c) => c.name);
}

/** Container choice: one, or all at once (undefined = cancelled). */
export async function pickContainers(containers: string[], title: string): Promise<string[] | undefined> {
  if (containers.length <= 1) return containers;
  const all = '$(list-flat) All containers';
  const pick = await vscode.window.showQuickPick([all, ...containers], { title, placeHolder: 'Container' });
  if (!pick) return undefined;
  return pick === all ? containers : [pick];
}

/** Follow / timestamps / previous, then since and tail (undefined = cancelled). */
export async function pickLogOptions(title: string): Promise<LogOptions | undefined> {
  const flags = await vscode.window.showQuickPick(
    [
      { label: 'Follow', description: 'keep streaming new lines', picked: true, key: 'follow' },
      { label: 'Timestamps', description: 'show each line\'s time', picked: false, key: 'timestamps' },
      { label: 'Previous', description: 'the previous run of a restarted container', picked: false, key: 'previous' },
    ],
    { title, canPickMany: true, placeHolder: 'Options (Enter to accept)' },
  );
  if (!flags) return undefined;
  const on = new Set(flags.map((f) => f.key));
  const since = await vscode.window.showInputBox({ title, prompt: 'Since (e.g. 30s, 5m, 2h; empty: from the tail)', validateInput: (v) => { try { parseSince(v); return undefined; } catch (err) { return (err as Error).message; } } });
  if (since === undefined) return undefined;
  const tail = await vscode.window.showInputBox({ title, prompt: 'Tail: how many past lines (empty: all)', value: since.trim() ? '' : '200', validateInput: (v) => (v.trim() === '' || /^\d+$/.test(v.trim()) ? undefined : `'${v}' is not a number of lines: write a whole number, or leave it empty`) });
  if (tail === undefined) return undefined;
  const sinceSeconds = parseSince(since);
  return {
    follow: on.has('follow'),
    timestamps: on.has('timestamps'),
    previous: on.has('previous'),
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
    ...(tail.trim() ? { tailLines: Number(tail.trim()) } : {}),
  };
}
