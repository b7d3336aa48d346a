// Actual usage from the resource metrics API (metrics.k8s.io, served by metrics-server): NodeMetrics and PodMetrics
// lists decoded into cpu cores and memory bytes, a pod's containers summed, and the figures in the form `kubectl top`
// prints them, so a user can compare the two. Pure: the lists come in as parsed JSON.
import { parseQuantity } from '../capacity/quantity.ts';

export interface Usage {
  /** cores (`250m` → 0.25) */
  readonly cpu: number;
  /** bytes of working set */
  readonly memory: number;
  /** the end of the interval the figures cover (ISO time), as metrics-server reports it */
  readonly timestamp: string;
  /** how long that interval was, in seconds */
  readonly windowSeconds: number;
}

export interface UsageSnapshot {
  /** by node name */
  readonly nodes: ReadonlyMap<string, Usage>;
  /** by `namespace/name` */
  readonly pods: ReadonlyMap<string, Usage>;
}

/** A cluster's usage as last polled, or why there is none. */
export type UsageState =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'available'; readonly snapshot: UsageSnapshot; readonly readAt: number }
  /** no metrics API on this cluster (or not for us): capacity only */
  | { readonly kind: 'absent'; readonly reason: string };

interface MetricsItem {
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly timestamp?: string;
  readonly window?: string;
  readonly usage?: Readonly<Record<string, string>>;
  readonly containers?: readonly { readonly usage?: Readonly<Record<string, string>> }[];
}

/** A Go duration as metrics-server writes it (`15s`, `1m0s`, `20.512s`) in seconds; undefined when it is not one. */
export function parseWindow(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$/.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function amount(usage: Readonly<Record<string, string>> | undefined, resource: string): number {
  const text = usage?.[resource];
  return text === undefined ? 0 : (parseQuantity(text) ?? 0);
}

function itemsOf(list: unknown): readonly MetricsItem[] {
  const items = (list as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? (items as MetricsItem[]) : [];
}

function usageOf(item: MetricsItem, cpu: number, memory: number): Usage {
  return { cpu, memory, timestamp: item.timestamp ?? '', windowSeconds: parseWindow(item.window) ?? 0 };
}

/** NodeMetricsList → usage by node name (items without a name are skipped). */
export function nodeUsages(list: unknown): Map<string, Usage> {
  const out = new Map<string, Usage>();
  for (const item of itemsOf(list)) {
    const name = item.metadata?.name;
    if (name) out.set(name, usageOf(item, amount(item.usage, 'cpu'), amount(item.usage, 'memory')));
  }
  return out;
}

/** PodMetricsList → usage by `namespace/name`, its containers summed (as `kubectl top pod` sums them). */
export function podUsages(list: unknown): Map<string, Usage> {
  const out = new Map<string, Usage>();
  for (const item of itemsOf(list)) {
    const name = item.metadata?.name;
    if (!name) continue;
    let cpu = 0;
    let memory = 0;
    for (const c of item.containers ?? []) {
      cpu += amount(c.usage, 'cpu');
      memory += amount(c.usage, 'memory');
    }
    out.set(`${item.metadata?.namespace ?? ''}/${name}`, usageOf(item, cpu, memory));
  }
  return out;
}

/** Pods' usage added up (a virtual node's offloaded pods, a namespace's pods); undefined when none is known. */
export function sumUsage(usages: readonly (Usage | undefined)[]): Usage | undefined {
  const known = usages.filter((u): u is Usage => u !== undefined);
  if (known.length === 0) return undefined;
  const latest = known.reduce((a, b) => (b.timestamp > a.timestamp ? b : a));
  return {
    cpu: known.reduce((s, u) => s + u.cpu, 0),
    memory: known.reduce((s, u) => s + u.memory, 0),
    timestamp: latest.timestamp,
    windowSeconds: Math.max(...known.map((u) => u.windowSeconds)),
  };
}

/** cpu as `kubectl top` prints it: whole millicores, rounded up as resource.Quantity's MilliValue does. */
export function topCpu(cores: number): string {
  return `${Math.ceil(Math.round(cores * 1e9) / 1e6)}m`;
}

/** memory as `kubectl top` prints it: whole MiB (bytes / 2^20, truncated). */
export function topMemory(bytes: number): string {
  return `${Math.floor(bytes / 2 ** 20)}Mi`;
}

/** `kubectl top node`'s percentage of allocatable (truncated), or undefined without an allocatable. */
export function percentOf(used: number, allocatable: number | undefined): number | undefined {
  return allocatable && allocatable > 0 ? Math.floor((used / allocatable) * 100) : undefined;
}

/** Seconds between polls: the metrics' own window (their resolution), kept between 10 s and 5 minutes. */
export function pollSeconds(snapshot: UsageSnapshot | undefined, fallback = 60): number {
  const windows = [...(snapshot?.nodes.values() ?? []), ...(snapshot?.pods.values() ?? [])].map((u) => u.windowSeconds).filter((w) => w > 0);
  const w = windows.length > 0 ? Math.min(...windows) : fallback;
  return Math.min(300, Math.max(10, Math.round(w)));
}

/** Markdown lines for a tooltip: the usage, with percentages of allocatable where one is known. */
export function usageTooltip(u: Usage, allocatable?: { cpu?: number; memory?: number }): string[] {
  const pct = (used: number, of: number | undefined) => {
    const p = percentOf(used, of);
    return p === undefined ? '' : ` (${p}% of allocatable)`;
  };
  const when = u.timestamp ? `, ${u.windowSeconds}s window ending ${u.timestamp}` : '';
  return [`- CPU: ${topCpu(u.cpu)}${pct(u.cpu, allocatable?.cpu)}`, `- Memory: ${topMemory(u.memory)}${pct(u.memory, allocatable?.memory)}`, `- From metrics.k8s.io${when}`];
}
