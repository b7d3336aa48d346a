// Which clusters' usage is polled: those whose row is expanded while the view is visible (a hidden view stops
// every poll at once, no grace period: usage is only read on hover). One ClusterUsage per kubeconfig entry.
import type { ClusterClient } from '../cluster/clusterClient.ts';
import type { Logger } from '../log.ts';
import { ClusterUsage, type UsageState } from './clusterUsage.ts';

export class UsageTracker {
  private readonly byEntry = new Map<string, ClusterUsage>();
  private readonly expanded = new Set<string>();
  private visible = true;
  private readonly client: (entryId: string) => ClusterClient | undefined;
  private readonly contextName: (entryId: string) => string;
  private readonly log: Logger;

  constructor(client: (entryId: string) => ClusterClient | undefined, contextName: (entryId: string) => string, log: Logger) {
    this.client = client;
    this.contextName = contextName;
    this.log = log;
  }

  /** The cluster's usage (created on first use; polling only while wanted). */
  of(entryId: string): ClusterUsage {
    let u = this.byEntry.get(entryId);
    if (!u) {
      u = new ClusterUsage(() => this.client(entryId), this.contextName(entryId), this.log);
      this.byEntry.set(entryId, u);
    }
    return u;
  }

  state(entryId: string): UsageState {
    return this.byEntry.get(entryId)?.state ?? { kind: 'unknown' };
  }

  setExpanded(entryId: string, expanded: boolean): void {
    if (expanded) this.expanded.add(entryId);
    else this.expanded.delete(entryId);
    this.of(entryId).want(expanded && this.visible);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    for (const [id, u] of this.byEntry) u.want(visible && this.expanded.has(id));
  }

  /** Entries polling right now (tests, and the cost stated in the docs). */
  get polling(): string[] {
    return [...this.byEntry].filter(([, u]) => u.polling).map(([id]) => id);
  }

  /** Contexts gone from the kubeconfigs: their pollers stop and are dropped. */
  retain(entryIds: ReadonlySet<string>): void {
    for (const [id, u] of this.byEntry) {
      if (entryIds.has(id)) continue;
      u.dispose();
      this.byEntry.delete(id);
      this.expanded.delete(id);
    }
  }

  dispose(): void {
    for (const u of this.byEntry.values()) u.dispose();
    this.byEntry.clear();
  }
}
