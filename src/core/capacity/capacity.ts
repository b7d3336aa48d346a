// Granted against requested, for a virtual node (its Node's allocatable, else its ResourceSlice's granted
// resources) and for a peering (its virtual nodes together), in the words tooltips show:
// "nvidia.com/gpu: 4 granted, 3 requested".
import type { Pod, ResourceList } from '../liqo/objects.ts';
import { addInto, amountsOf, requestedBy, type Amounts } from './podRequests.ts';
import { formatQuantity } from './quantity.ts';

export interface CapacityLine {
  readonly resource: string;
  readonly granted?: number;
  readonly requested: number;
}

export interface Capacity {
  readonly lines: readonly CapacityLine[];
  /** Where the granted figures come from, in words. */
  readonly grantedBy: string;
}

/** Resources a virtual node shows: the well-known first, then extended ones by name (ephemeral storage left out). */
function order(a: string, b: string): number {
  const rank = (r: string): number => ({ cpu: 0, memory: 1, pods: 2 })[r] ?? 3;
  return rank(a) - rank(b) || a.localeCompare(b);
}

export function capacityOf(granted: Amounts, requested: Amounts, grantedBy: string): Capacity {
  const names = new Set([...granted.keys(), ...requested.keys()]);
  names.delete('ephemeral-storage');
  const lines = [...names].sort(order).flatMap((resource): CapacityLine[] => {
    const g = granted.get(resource);
    const r = requested.get(resource) ?? 0;
    // a resource neither granted nor requested (a zero-valued entry) says nothing
    if (!g && !r) return [];
    return [{ resource, requested: r, ...(g !== undefined ? { granted: g } : {}) }];
  });
  return { lines, grantedBy };
}

/** A virtual node: granted = its Node's allocatable (what the scheduler fits pods into), else the slice's grant. */
export function virtualNodeCapacity(allocatable: ResourceList | undefined, sliceGranted: ResourceList | undefined, podsOnNode: readonly Pod[]): Capacity {
  const grantedBy = allocatable ? 'the virtual node\'s allocatable' : sliceGranted ? 'the ResourceSlice' : 'nothing known';
  return capacityOf(amountsOf(allocatable ?? sliceGranted), requestedBy(podsOnNode), grantedBy);
}

/** A peering: its virtual nodes' capacities added up. */
export function sumCapacity(parts: readonly Capacity[], grantedBy: string): Capacity {
  const g: Amounts = new Map();
  const r: Amounts = new Map();
  for (const p of parts) {
    for (const l of p.lines) {
      if (l.granted !== undefined) addInto(g, new Map([[l.resource, l.granted]]));
      addInto(r, new Map([[l.resource, l.requested]]));
    }
  }
  return capacityOf(g, r, grantedBy);
}

/** `nvidia.com/gpu 3 of 4 requested`, or `nvidia.com/gpu 3 requested (none granted)`. */
export function capacityLineText(l: CapacityLine): string {
  const r = formatQuantity(l.resource, l.requested);
  if (l.granted === undefined) return `${l.resource} ${r} requested (none granted)`;
  return `${l.resource} ${r} of ${formatQuantity(l.resource, l.granted)} requested`;
}

/** Markdown lines for a tooltip: `- nvidia.com/gpu: 4 granted, 3 requested`. */
export function capacityTooltip(c: Capacity, escape: (text: string) => string = (t) => t): string[] {
  if (c.lines.length === 0) return [`- Requested: nothing (granted by ${c.grantedBy})`];
  return [`- Requested of granted (granted by ${c.grantedBy}; non-terminal pods, as the scheduler counts requests):`, ...c.lines.map((l) => `  - ${escape(l.resource)}: ${l.granted === undefined ? 'none' : formatQuantity(l.resource, l.granted)} granted, ${formatQuantity(l.resource, l.requested)} requested`)];
}
