// Root rows of the federation tree: one per kubeconfig context (with its connection state) and one per kubeconfig
// file that could not be read. A failed cluster stays collapsed with its error in the description and tooltip; its
// child is the explained error, with Retry. Every remote string (server URL, plugin output) is escaped for Markdown.
import * as path from 'node:path';
import type { ClusterEntry, FileProblem } from '../kubeconfig/clusters.ts';
import { fileLabel } from '../kubeconfig/clusters.ts';
import type { ConnectionProblem } from '../connection/describe.ts';
import { hostOf } from '../connection/describe.ts';
import type { LiqoInfo } from '../liqo/snapshot.ts';
import type { TreeNodeView } from './view.ts';
import { ariaLabelOf, code, contextValue, md } from './view.ts';
import { childKey, clusterRowKey, fileRowKey, rowId } from './rowKey.ts';
import { readOnlyReason } from '../readOnly/readOnlyContexts.ts';
import { sameClusterText, type SameClusterLink } from '../kubeconfig/sameCluster.ts';

/** What a cluster row says beyond its connection: read-only (the pattern that made it so), other contexts to its cluster. */
const SAME_CLUSTER_LISTED = 5;

export interface ClusterMarks {
  readonly readOnlyBy?: string | undefined;
  readonly sameAs?: readonly SameClusterLink[] | undefined;
}

export type ConnectionState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'connecting' }
  | { readonly kind: 'reachable'; readonly serverVersion: string }
  | { readonly kind: 'failed'; readonly problem: ConnectionProblem }
  /**
   * Not connected on purpose: its credentials run a program (exec plugin, auth provider) and the
   * liqo.credentialPlugins policy waits for the user to open the cluster (`onExpand`), or never runs it (`never`).
   */
  | { readonly kind: 'deferred'; readonly program: string; readonly policy: 'onExpand' | 'never' };

export const RETRY_COMMAND = 'liqo.cluster.retry';
export const OPEN_KUBECONFIG_COMMAND = 'liqo.kubeconfig.open';

export function liqoSummary(info: LiqoInfo): string | undefined {
  if (info.presence === 'not-installed') return 'Liqo not installed';
  if (info.presence === 'unknown') return undefined;
  const health = info.healthy === undefined ? `health unknown (${info.healthUnknown ?? 'no Liqo pods seen'})` : info.healthy ? 'healthy' : `${info.unhealthyPods.length} Liqo pod${info.unhealthyPods.length === 1 ? '' : 's'} not ready`;
  return [info.clusterId ?? 'no cluster ID', `Liqo ${info.version ?? '?'}`, info.clusterIdProblem ? 'cluster ID unlabelled: liqoctl will not find it' : health].join(' · ');
}

export function clusterNode(entry: ClusterEntry, state: ConnectionState, allFiles: readonly string[], liqo?: LiqoInfo, marks: ClusterMarks = {}): TreeNodeView {
  const where = entry.nameIsDuplicated ? fileLabel(entry.filePath, allFiles) : undefined;
  const host = hostOf(entry.server);
  let stateText: string;
  let icon: TreeNodeView['icon'];
  switch (state.kind) {
    case 'idle':
      stateText = host;
      icon = { id: 'vm-outline' };
      break;
    case 'connecting':
      stateText = `${host} · connecting…`;
      icon = { id: 'loading~spin' };
      break;
    case 'reachable': {
      const summary = liqo ? liqoSummary(liqo) : undefined;
      stateText = summary && liqo?.presence === 'installed' ? summary : `${state.serverVersion} · ${summary ?? host}`;
      icon = { id: 'vm-active', color: liqo?.healthy === false || liqo?.clusterIdProblem ? 'list.warningForeground' : 'testing.iconPassed' };
      break;
    }
    case 'failed':
      stateText = state.problem.summary;
      icon = { id: 'vm-outline', color: 'errorForeground' };
      break;
    case 'deferred':
      stateText = `${host} · ${state.policy === 'onExpand' ? `expand to connect (runs ${state.program})` : `not connected: liqo.credentialPlugins is "never" (runs ${state.program})`}`;
      icon = { id: 'vm-outline' };
      break;
  }
  // The lock replaces the state icon only where that icon says nothing the description does not (a spinner or a
  // red failure keeps its icon; the description still starts with the lock).
  if (marks.readOnlyBy !== undefined && state.kind !== 'connecting' && state.kind !== 'failed') icon = { id: 'lock', ...(icon?.color ? { color: icon.color } : {}) };
  const same = marks.sameAs ? sameClusterText(marks.sameAs) : undefined;
  const description = [marks.readOnlyBy !== undefined && 'read-only', where, stateText, same].filter(Boolean).join(' · ');
  const lines = [
    `**${md(entry.contextName)}**${entry.isCurrentContext ? ' (current context)' : ''}`,
    '',
    `- File: ${code(entry.filePath)}`,
    `- Server: ${code(entry.server || '(none)')}${entry.tlsServerName ? ` (TLS name ${code(entry.tlsServerName)})` : ''}`,
    `- Cluster: ${md(entry.clusterName)} · User: ${md(entry.userName || '(none)')} (${entry.auth}${entry.execCommand ? `: ${md(entry.execCommand)}` : ''})`,
  ];
  if (entry.namespace) lines.push(`- Namespace: ${md(entry.namespace)}`);
  if (marks.readOnlyBy !== undefined) {
    lines.push(`- **Read-only**: ${md(readOnlyReason(marks.readOnlyBy, entry.contextName))}. Commands that write to the cluster or run liqoctl against it refuse here; kubeconfig edits still work.`);
  }
  // A few names, then a count: 500 contexts to one server would otherwise put 499 lines in each of 500 tooltips.
  const sameAs = marks.sameAs ?? [];
  for (const l of sameAs.slice(0, SAME_CLUSTER_LISTED)) {
    lines.push(`- Same cluster as **${md(l.contextName)}** (${l.why === 'cluster-id' ? 'same Liqo cluster ID' : 'same server and certificate authority'})`);
  }
  if (sameAs.length > SAME_CLUSTER_LISTED) lines.push(`- … and ${sameAs.length - SAME_CLUSTER_LISTED} more contexts to the same cluster`);
  if (entry.insecureSkipTlsVerify) lines.push('- ⚠ TLS verification is disabled for this cluster (insecure-skip-tls-verify)');
  if (state.kind === 'reachable') lines.push(`- Kubernetes ${md(state.serverVersion)}`);
  if (state.kind === 'reachable' && liqo?.presence === 'installed') {
    lines.push(`- Liqo ${md(liqo.version ?? '(version unknown)')}, cluster ID **${md(liqo.clusterId ?? '(no liqo-clusterid-configmap)')}**`);
    lines.push(`- Health: ${liqo.healthy === undefined ? `unknown: ${md(liqo.healthUnknown ?? 'no Liqo pods seen')}. The explorer judges Liqo by the pods in its namespace; where Liqo's controllers run elsewhere, check them there (liqoctl info)` : liqo.healthy ? 'all Liqo pods ready' : `not ready: ${liqo.unhealthyPods.map(md).join(', ')}`}`);
    if (liqo.namespace) lines.push(`- Liqo namespace: ${md(liqo.namespace)}`);
    if (liqo.clusterIdProblem) lines.push(`- ⚠ ${md(liqo.clusterIdProblem)}`);
  }
  if (state.kind === 'reachable' && liqo?.limitedBy) lines.push(`- ⚠ Liqo not searched cluster-wide: ${md(liqo.limitedBy)}`);
  if (state.kind === 'reachable' && liqo?.presence === 'not-installed') lines.push('- Liqo is not installed');
  if (state.kind === 'failed') lines.push('', `**${md(state.problem.summary)}**`, '', md(state.problem.hint));
  if (state.kind === 'deferred') {
    lines.push(
      '',
      state.policy === 'onExpand'
        ? `**Not connected yet:** its credentials run ${md(state.program)}. Expand the cluster to run it and connect (setting liqo.credentialPlugins).`
        : `**Not connected:** its credentials run ${md(state.program)}, and liqo.credentialPlugins is "never".`,
    );
  }
  const key = clusterRowKey(entry.id);
  return {
    key,
    id: rowId(key),
    label: entry.contextName,
    description,
    tooltip: lines.join('\n'),
    ariaLabel: ariaLabelOf(entry.contextName, description),
    icon,
    contextValue: contextValue('cluster', [
      state.kind === 'failed' && 'error',
      state.kind === 'reachable' && 'reachable',
      liqo?.presence === 'installed' && 'liqo',
      liqo?.presence === 'not-installed' && 'noLiqo',
      entry.insecureSkipTlsVerify && 'insecure',
      state.kind === 'deferred' && 'deferred',
      marks.readOnlyBy !== undefined && 'readOnly',
      Boolean(marks.sameAs?.length) && 'sameCluster',
    ]),
    // Failed clusters stay collapsed (hundreds of stale contexts must not flood the view); expanding one shows the
    // explained error with Retry, expanding a deferred one connects it, a connecting one shows "Connecting…" until
    // its subtree is there.
    collapsible: state.kind === 'idle' || (state.kind === 'deferred' && state.policy === 'never') ? 'none' : 'collapsed',
  };
}

/** The row a cluster shows while its first connection (started by expanding it) is under way. */
export function clusterConnectingNode(entry: ClusterEntry): TreeNodeView {
  const key = childKey(clusterRowKey(entry.id), 'connecting');
  return { key, id: rowId(key), label: 'Connecting…', ariaLabel: 'Connecting…', icon: { id: 'loading~spin' }, contextValue: contextValue('loading'), collapsible: 'none' };
}

export function clusterErrorNode(entry: ClusterEntry, problem: ConnectionProblem): TreeNodeView {
  const key = childKey(clusterRowKey(entry.id), 'error');
  return {
    key,
    id: rowId(key),
    label: problem.summary,
    description: 'Retry',
    tooltip: `**${md(problem.summary)}**\n\n${md(problem.hint)}`,
    ariaLabel: ariaLabelOf(problem.summary, problem.hint),
    icon: { id: 'error', color: 'errorForeground' },
    contextValue: contextValue('clusterError', [problem.kind]),
    collapsible: 'none',
    command: { command: RETRY_COMMAND, title: 'Retry', arguments: [entry.id] },
  };
}

export function fileProblemNode(problem: FileProblem): TreeNodeView {
  const name = path.basename(problem.filePath);
  const where = problem.line ? `line ${problem.line}: ` : '';
  const description = `${where}${problem.message}`;
  const origin = problem.origin === 'setting' ? 'listed in liqo.kubeconfigs' : problem.origin === 'KUBECONFIG' ? 'listed in $KUBECONFIG' : 'the default kubeconfig';
  const key = fileRowKey(problem.filePath);
  return {
    key,
    id: rowId(key),
    label: name,
    description,
    tooltip: `**Cannot read kubeconfig ${md(name)}**\n\n${code(problem.filePath)} (${origin})\n\n${md(description)}\n\nThe other kubeconfig files are still loaded. Fix this file and save it: the tree reloads by itself.`,
    ariaLabel: ariaLabelOf(name, description),
    icon: { id: 'warning', color: 'list.warningForeground' },
    contextValue: contextValue('kubeconfigError'),
    collapsible: 'none',
    command: { command: OPEN_KUBECONFIG_COMMAND, title: 'Open File', arguments: [problem.filePath, problem.line ?? 1] },
  };
}
