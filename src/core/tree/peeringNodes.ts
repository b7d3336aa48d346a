// Rows for ForeignClusters (peerings): the peer's cluster ID, the kubeconfig context of the same ID, the role, the
// state of the networking/authentication/offloading modules, and each condition explained when not healthy.
import type { ForeignCluster, LiqoCondition, LiqoModule } from '../liqo/objects.ts';
import { objectKey } from '../liqo/objects.ts';
import { conditionHealth, explainCondition, worstHealth, type Health } from '../liqo/explain.ts';
import type { ClusterTreeContext, SubtreeMap } from './treeContext.ts';
import { linkText, resourceRef } from './treeContext.ts';
import type { TreeNodeView } from './view.ts';
import { ariaLabelOf, code, contextValue, md } from './view.ts';
import { childKey, rowId, type ClusterRowKey } from './rowKey.ts';
import { healthIcon, healthWord } from './health.ts';
import { isLeftoverPeering, leftoverCleanUp } from '../peering/leftover.ts';

export const REVEAL_PEER_COMMAND = 'liqo.peering.revealPeer';

/** The contextValue flag of a peering whose peer provides resources to this cluster (Request Resources applies). */
function roleFlag(role: string): string | undefined {
  if (role === 'Provider' || role === 'ConsumerAndProvider') return 'provider';
  if (role === 'Consumer') return 'consumer';
  return undefined;
}

const MODULES = [
  ['networking', 'Networking'],
  ['authentication', 'Authentication'],
  ['offloading', 'Offloading'],
] as const;

export function moduleHealth(m: LiqoModule | undefined): Health {
  if (!m || m.enabled === false) return 'disabled';
  const conds = m.conditions ?? [];
  if (conds.length === 0) return 'pending';
  return worstHealth(conds.map((c) => conditionHealth(c.status)));
}

export function peeringHealth(fc: ForeignCluster): Health {
  const mods = fc.status?.modules;
  const hs = MODULES.map(([k]) => moduleHealth(mods?.[k])).filter((h) => h !== 'disabled');
  const own = (fc.status?.conditions ?? []).map((c) => conditionHealth(c.status));
  return worstHealth([...hs, ...own]);
}

export function peerClusterId(fc: ForeignCluster): string {
  return fc.spec?.clusterID || fc.metadata.name;
}

export function addPeeringRows(ctx: ClusterTreeContext, folder: ClusterRowKey, out: SubtreeMap): TreeNodeView[] {
  const rows: TreeNodeView[] = [];
  const fcs = [...ctx.snapshot.foreignClusters].sort((a, b) => peerClusterId(a).localeCompare(peerClusterId(b)));
  for (const fc of fcs) {
    const rowKey = childKey(folder, fc.metadata.name);
    const id = rowId(rowKey);
    const peerId = peerClusterId(fc);
    const links = ctx.contextsFor(peerId);
    if (isLeftoverPeering(fc, ctx.snapshot)) {
      rows.push(leftoverRow(ctx, rowKey, fc, peerId, links));
      out.set(id, []);
      continue;
    }
    const health = peeringHealth(fc);
    const role = fc.status?.role ?? 'Unknown';
    const moduleGlyphs = MODULES.map(([k, title]) => `${title.slice(0, 3)} ${glyph(moduleHealth(fc.status?.modules?.[k]))}`).join(' ');
    const description = `${role} · ${healthWord(health)} · ${linkText(links)}`;
    const tooltip = [
      `**Peering with ${md(peerId)}** (ForeignCluster ${code(fc.metadata.name)})`,
      '',
      `- Role of the peer: ${md(role)}`,
      `- Modules: ${moduleGlyphs}`,
      fc.status?.apiServerUrl ? `- Peer API server: ${code(fc.status.apiServerUrl)}` : '',
      fc.status?.tenantNamespace?.local ? `- Tenant namespace here: ${md(fc.status.tenantNamespace.local)}` : '',
      links.length ? `- Kubeconfig context: ${links.map((l) => md(l.contextName)).join(', ')}` : '- No kubeconfig context has this cluster ID: add the peer cluster\'s kubeconfig to jump to it.',
    ]
      .filter(Boolean)
      .join('\n');
    rows.push({
      key: rowKey,
      id,
      label: peerId,
      description,
      tooltip,
      ariaLabel: ariaLabelOf(peerId, description),
      icon: healthIcon(health),
      contextValue: contextValue('peering', [health, links.length > 0 && 'linked', roleFlag(role)]),
      collapsible: health === 'healthy' ? 'collapsed' : 'expanded',
      resource: resourceRef(ctx, 'foreignclusters', objectKey(fc)),
      ...(links[0] ? { command: { command: REVEAL_PEER_COMMAND, title: 'Go to Peer Cluster', arguments: [links[0].entryId] } } : {}),
    });
    const children: TreeNodeView[] = [];
    for (const [key, title] of MODULES) {
      const m = fc.status?.modules?.[key];
      const mh = moduleHealth(m);
      const moduleKey = childKey(rowKey, 'module', key);
      const mid = rowId(moduleKey);
      const mdesc = mh === 'disabled' ? 'disabled' : summariseStatuses(m?.conditions ?? []);
      children.push({
        key: moduleKey,
        id: mid,
        label: title,
        description: mdesc,
        tooltip: `**${title}** module: ${healthWord(mh)}`,
        ariaLabel: ariaLabelOf(title, mdesc),
        icon: healthIcon(mh),
        contextValue: contextValue('peeringModule', [key, mh]),
        collapsible: (m?.conditions?.length ?? 0) === 0 ? 'none' : mh === 'healthy' ? 'collapsed' : 'expanded',
      });
      out.set(mid, (m?.conditions ?? []).map((c) => conditionRow(moduleKey, c)));
    }
    for (const c of fc.status?.conditions ?? []) children.push(conditionRow(rowKey, c));
    out.set(id, children);
  }
  return rows;
}

/**
 * A ForeignCluster that is no peering any more (peering/leftover.ts): shown as what it is, with its own kind so that
 * Unpeer and Request Resources (which would "succeed" doing nothing, or fail) are not offered, and Clean Up is.
 */
function leftoverRow(ctx: ClusterTreeContext, rowKey: ClusterRowKey, fc: ForeignCluster, peerId: string, links: ReturnType<ClusterTreeContext['contextsFor']>): TreeNodeView {
  const plan = leftoverCleanUp(fc, ctx.snapshot);
  const description = `not peered · left by an earlier peering · ${linkText(links)}`;
  const tooltip = [
    `**No peering with ${md(peerId)}** (ForeignCluster ${code(fc.metadata.name)} left behind)`,
    '',
    `Nothing of a peering with ${md(peerId)} is active on this cluster: no networking, authentication or offloading state, and no VirtualNode, ResourceSlice or Tenant for it. Liqo keeps the ForeignCluster${plan.tenantNamespace ? ` and the tenant namespace ${md(plan.tenantNamespace)}` : ''} after an unpeer (or a peering that was stopped), and reports role ${md(fc.status?.role ?? 'Unknown')} for it.`,
    '',
    `**Clean Up Leftover Peering…** deletes ${plan.tenantNamespace ? `the tenant namespace ${md(plan.tenantNamespace)} (as \`liqoctl unpeer --delete-namespaces\` does), then ` : ''}the ForeignCluster, as Liqo's documentation describes. **Peer Clusters…** peers again.`,
  ].join('\n');
  return {
    key: rowKey,
    id: rowId(rowKey),
    label: peerId,
    description,
    tooltip,
    ariaLabel: ariaLabelOf(peerId, description),
    icon: { id: 'debug-disconnect', color: 'disabledForeground' },
    contextValue: contextValue('peeringLeftover', [links.length > 0 && 'linked']),
    collapsible: 'none',
    resource: resourceRef(ctx, 'foreignclusters', objectKey(fc)),
    ...(links[0] ? { command: { command: REVEAL_PEER_COMMAND, title: 'Go to Peer Cluster', arguments: [links[0].entryId] } } : {}),
  };
}

function summariseStatuses(conds: readonly LiqoCondition[]): string {
  if (conds.length === 0) return 'no conditions yet';
  const statuses = [...new Set(conds.map((c) => c.status))];
  return statuses.join(', ');
}

function glyph(h: Health): string {
  return h === 'healthy' ? '✓' : h === 'failed' ? '✗' : h === 'pending' ? '…' : h === 'disabled' ? '–' : '?';
}

export function conditionRow(parent: ClusterRowKey, c: LiqoCondition): TreeNodeView {
  const e = explainCondition(c);
  const description = e.what ? `${c.status}: ${e.what}` : `${c.status}${c.reason ? ` · ${c.reason}` : ''}`;
  const lines = [`**${md(e.title)}** (${code(c.type)}): ${md(c.status)}`, ''];
  if (c.reason) lines.push(`- Reason: ${md(c.reason)}`);
  if (c.message) lines.push(`- Message: ${md(c.message)}`);
  if (c.lastTransitionTime) lines.push(`- Since: ${md(c.lastTransitionTime)}`);
  if (e.what) lines.push('', `**What is wrong:** ${md(e.what)}${e.side ? ` (on ${md(e.side)})` : ''}.`);
  if (e.check) lines.push('', `**Check next:** ${md(e.check)}`);
  const key = childKey(parent, 'condition', c.type);
  return {
    key,
    id: rowId(key),
    label: e.title,
    description,
    tooltip: lines.join('\n'),
    ariaLabel: ariaLabelOf(e.title, description),
    icon: healthIcon(e.health),
    contextValue: contextValue('condition', [e.health]),
    collapsible: 'none',
  };
}
