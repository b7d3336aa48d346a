// Healthy → failing → recovered, from successive observations of the federation (core/alerts/watched.ts), with the
// rules that keep alerts few and meaningful. Pure: time is passed in, nothing is scheduled here (nextDue says when
// the caller should look again).
//
// The rules, stated once:
// - First sight is a baseline: an object seen for the first time (first load, a cluster connecting, a cluster just
//   unmuted) raises nothing, whatever its state.
// - A change must persist: failing for `failAfterMs` (default 10 s) before a failure is announced, healthy again for
//   `recoverAfterMs` (default 10 s) before a recovery is. A flap shorter than that raises nothing at all.
// - Rate limit: at most `maxFailuresPerWindow` (default 2) failure alerts per object in any `windowMs` (default
//   10 min). A failure beyond that is not announced (the status bar and badge still count it).
// - Recovery is announced once, and only for a failure that was announced.
// - Muted clusters produce nothing and are forgotten, so unmuting starts again from a baseline.
// - One outage, one alert: a peering, virtual node or ResourceSlice whose peer cluster is itself failing (a provider's
//   API server down: Liqo then marks the consumer's peering and, a minute later, its virtual node failing) is part of
//   that cluster's alert. Its failure and recovery are not announced while the peer fails, nor for
//   `peerRecoveryGraceMs` (default 2 min) after the peer's recovery; still failing after that, it is announced then.
// So 20 flaps of one object in a minute raise at most 2 failure alerts and their 2 recoveries.
import type { Observation, WatchedObjectKind } from './watched.ts';

export interface AlertRules {
  readonly failAfterMs: number;
  readonly recoverAfterMs: number;
  readonly maxFailuresPerWindow: number;
  readonly windowMs: number;
  readonly peerRecoveryGraceMs: number;
}

export const DEFAULT_ALERT_RULES: AlertRules = { failAfterMs: 10_000, recoverAfterMs: 10_000, maxFailuresPerWindow: 2, windowMs: 10 * 60_000, peerRecoveryGraceMs: 2 * 60_000 };

export interface Alert {
  readonly type: 'failing' | 'recovered';
  readonly observation: Observation;
  readonly at: number;
  /** A failure alert that used up the object's allowance: later failures within the window stay quiet. */
  readonly lastInWindow?: boolean;
}

/** One cluster's observations at one moment. */
export interface ClusterUpdate {
  readonly entryId: string;
  readonly contextName: string;
  readonly observations: readonly Observation[];
  /** Kinds looked at completely: tracked objects of these kinds that are not observed any more are gone. */
  readonly observedKinds: readonly WatchedObjectKind[];
}

interface Tracked {
  /** The state last accepted (after its hold time). */
  confirmedFailing: boolean;
  /** The state last observed, and since when. */
  observedFailing: boolean;
  since: number;
  last: Observation;
  /** When failure alerts were sent (within the window). */
  sent: number[];
  /** The current failure was announced: its recovery will be. */
  announced: boolean;
  /** When the confirmed state last changed. */
  confirmedAt: number;
  /** The current failure is part of this (failing) peer cluster's alert: the key of that cluster's entry. */
  coveredBy?: string;
  /**
   * The last update of its cluster did not look at its kind (the cluster unreachable, or its row collapsed so the
   * kind is not watched): what it last showed may be out of date, so nothing is concluded from it until seen again.
   */
  unobserved?: boolean;
}

export class AlertTransitions {
  private readonly rules: AlertRules;
  private readonly tracked = new Map<string, Tracked>();
  /** Liqo cluster ID by entry, as last seen (an unreachable cluster's ID is remembered from when it answered). */
  private readonly clusterIds = new Map<string, string>();

  constructor(rules: AlertRules = DEFAULT_ALERT_RULES) {
    this.rules = rules;
  }

  /**
   * Records what the given clusters show now and returns the alerts due. Clusters not in `clusters` keep their
   * objects' states (not observed is not healthy); objects of a kind a cluster's update did not look at keep their
   * state too, and wait (no alert, no recovery) until seen again; `muted(contextName)` clusters are dropped and
   * forgotten.
   */
  update(now: number, clusters: readonly ClusterUpdate[], muted: (contextName: string) => boolean = () => false): Alert[] {
    for (const c of clusters) {
      if (muted(c.contextName)) {
        this.forgetEntry(c.entryId);
        continue;
      }
      const seen = new Set<string>();
      for (const o of c.observations) {
        seen.add(o.key);
        if (o.kind === 'cluster' && o.clusterId) this.clusterIds.set(o.entryId, o.clusterId);
        const t = this.tracked.get(o.key);
        if (!t) {
          this.tracked.set(o.key, { confirmedFailing: o.failing, observedFailing: o.failing, since: now, last: o, sent: [], announced: false, confirmedAt: now });
          continue;
        }
        delete t.unobserved;
        if (o.failing !== t.observedFailing) {
          t.observedFailing = o.failing;
          t.since = now;
        }
        // Keep the words of the failure while it is failing (a recovering object has no `why`).
        if (o.failing || !t.confirmedFailing) t.last = o;
        else t.last = { ...o, ...(t.last.why ? { why: t.last.why } : {}) };
      }
      const kinds = new Set(c.observedKinds);
      for (const [key, t] of this.tracked) {
        if (t.last.entryId !== c.entryId || seen.has(key)) continue;
        if (kinds.has(t.last.kind)) this.tracked.delete(key);
        else t.unobserved = true;
      }
    }
    return this.tick(now);
  }

  /** Accepts the changes whose hold time has passed; returns the alerts due. */
  tick(now: number): Alert[] {
    const out: Alert[] = [];
    for (const t of this.tracked.values()) {
      if (t.unobserved) continue;
      if (t.coveredBy && !this.covering(t.coveredBy, now)) {
        delete t.coveredBy;
        // Still failing once its peer is back and settled: a failure of its own, announced now (held long enough).
        if (t.confirmedFailing && t.observedFailing) t.confirmedFailing = false;
      }
      if (t.observedFailing === t.confirmedFailing) continue;
      const hold = t.observedFailing ? this.rules.failAfterMs : this.rules.recoverAfterMs;
      if (now - t.since < hold) continue;
      t.confirmedFailing = t.observedFailing;
      t.confirmedAt = now;
      if (t.confirmedFailing) {
        const peer = this.failingPeer(t.last);
        if (peer) {
          t.coveredBy = peer;
          continue;
        }
        t.sent = t.sent.filter((at) => now - at < this.rules.windowMs);
        if (t.sent.length >= this.rules.maxFailuresPerWindow) continue;
        t.sent.push(now);
        t.announced = true;
        out.push({ type: 'failing', observation: t.last, at: now, ...(t.sent.length === this.rules.maxFailuresPerWindow ? { lastInWindow: true } : {}) });
      } else {
        if (t.announced) out.push({ type: 'recovered', observation: t.last, at: now });
        t.announced = false;
        delete t.coveredBy;
      }
    }
    return out;
  }

  /** The key of the tracked cluster that `o` depends on (its peer, in another entry) when that cluster is failing. */
  private failingPeer(o: Observation): string | undefined {
    if (o.kind === 'cluster' || !o.peerClusterId) return undefined;
    for (const [key, t] of this.tracked) {
      if (t.last.kind !== 'cluster' || t.last.entryId === o.entryId || this.clusterIds.get(t.last.entryId) !== o.peerClusterId) continue;
      if (t.observedFailing || t.confirmedFailing) return key;
    }
    return undefined;
  }

  /** Whether the cluster tracked under `key` still covers the failures of objects depending on it. */
  private covering(key: string, now: number): boolean {
    const c = this.tracked.get(key);
    return c !== undefined && (c.observedFailing || c.confirmedFailing || now - c.confirmedAt < this.rules.peerRecoveryGraceMs);
  }

  /** When tick() may next have something to say (a pending change's hold ending), or undefined. */
  nextDue(): number | undefined {
    let due: number | undefined;
    for (const t of this.tracked.values()) {
      if (t.unobserved) continue;
      const cover = t.coveredBy ? this.tracked.get(t.coveredBy) : undefined;
      if (cover && !cover.observedFailing && !cover.confirmedFailing) {
        const at = cover.confirmedAt + this.rules.peerRecoveryGraceMs;
        due = due === undefined ? at : Math.min(due, at);
      }
      if (t.observedFailing === t.confirmedFailing) continue;
      const at = t.since + (t.observedFailing ? this.rules.failAfterMs : this.rules.recoverAfterMs);
      due = due === undefined ? at : Math.min(due, at);
    }
    return due;
  }

  /** Forgets a cluster's objects (muted, removed from the kubeconfig): next sight is a baseline again. */
  forgetEntry(entryId: string): void {
    for (const [key, t] of this.tracked) if (t.last.entryId === entryId) this.tracked.delete(key);
    this.clusterIds.delete(entryId);
  }

  /** Entries tracked (tests check forgetting). */
  get size(): number {
    return this.tracked.size;
  }
}

/** Alerts of one kind (failing or recovered) in one cluster, raised at the same time: one notification. */
export interface AlertGroup {
  readonly type: Alert['type'];
  readonly entryId: string;
  readonly contextName: string;
  readonly alerts: readonly Alert[];
}

/**
 * Coalesces alerts due together: a provider going down fails its cluster, peering, virtual node and slice at once,
 * and that is one notification per cluster, the most telling first (reachability, then peering, node, slice,
 * offloading).
 */
export function coalesce(alerts: readonly Alert[]): AlertGroup[] {
  const order: Readonly<Record<WatchedObjectKind, number>> = { cluster: 0, peering: 1, virtualNode: 2, resourceSlice: 3, offloading: 4 };
  const groups = new Map<string, { type: Alert['type']; entryId: string; contextName: string; alerts: Alert[] }>();
  for (const a of alerts) {
    const k = `${a.type}\u0000${a.observation.entryId}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { type: a.type, entryId: a.observation.entryId, contextName: a.observation.contextName, alerts: [] }));
    g.alerts.push(a);
  }
  for (const g of groups.values()) g.alerts.sort((a, b) => order[a.observation.kind] - order[b.observation.kind] || a.observation.what.localeCompare(b.observation.what));
  return [...groups.values()];
}

/** The notification's words: what, where and why, in the tree's plain words. */
export function alertMessage(g: AlertGroup): string {
  const [first, ...rest] = g.alerts;
  if (!first) return '';
  const o = first.observation;
  const more = rest.length ? ` (and ${rest.length} more: ${rest.map((a) => a.observation.what).join(', ')})` : '';
  const where = o.kind === 'cluster' ? '' : ` on ${g.contextName}`;
  if (g.type === 'recovered') return `Liqo: ${o.what}${where} recovered${more}.`;
  const quiet = first.lastInWindow ? ' It failed repeatedly: further failures of it in the next minutes are not announced.' : '';
  return `Liqo: ${o.what}${where} is failing — ${o.why ?? 'see the tree'}${more}.${quiet}`;
}
