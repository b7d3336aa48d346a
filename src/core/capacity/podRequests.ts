// A pod's effective resource request, as the scheduler counts it (k8s.io/component-helpers/resource PodRequests):
// app containers summed; init containers run one at a time, so the largest counts, plus the sidecars (init
// containers with restartPolicy Always) started before it; sidecars keep running, so they add to the app
// containers' sum; the larger of the two, plus the pod overhead (RuntimeClass). Only requests count (a container
// with limits only gets requests equal to them from the API server's defaulting, so the object read has them).
// Terminal pods (Succeeded, Failed) hold nothing, as the scheduler and `kubectl describe node` count.
import type { Pod, ResourceList } from '../liqo/objects.ts';
import { parseQuantity } from './quantity.ts';

export type Amounts = Map<string, number>;

function amountsOf(list: ResourceList | undefined): Amounts {
  const out: Amounts = new Map();
  for (const [k, v] of Object.entries(list ?? {})) {
    const n = parseQuantity(v);
    if (n !== undefined) out.set(k, n);
  }
  return out;
}

export function addInto(into: Amounts, more: Amounts): Amounts {
  for (const [k, v] of more) into.set(k, (into.get(k) ?? 0) + v);
  return into;
}

function maxInto(into: Amounts, other: Amounts): Amounts {
  for (const [k, v] of other) if (v > (into.get(k) ?? 0)) into.set(k, v);
  return into;
}

export function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** The pod's effective request per resource (no `pods` entry: the caller counts pods). */
export function podRequests(p: Pod): Amounts {
  const spec = p.spec;
  const reqs: Amounts = new Map();
  for (const c of spec?.containers ?? []) addInto(reqs, amountsOf(c.resources?.requests));
  const sidecars: Amounts = new Map();
  const initMax: Amounts = new Map();
  for (const c of spec?.initContainers ?? []) {
    const r = amountsOf(c.resources?.requests);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, r);
      maxInto(initMax, sidecars);
    } else {
      maxInto(initMax, addInto(new Map(r), sidecars));
    }
  }
  addInto(reqs, sidecars);
  maxInto(reqs, initMax);
  addInto(reqs, amountsOf(spec?.overhead));
  return reqs;
}

/** What the non-terminal pods request together, with `pods` counting them. */
export function requestedBy(pods: readonly Pod[]): Amounts {
  const sum: Amounts = new Map();
  let count = 0;
  for (const p of pods) {
    if (isTerminal(p)) continue;
    count++;
    addInto(sum, podRequests(p));
  }
  sum.set('pods', count);
  return sum;
}

export { amountsOf };
