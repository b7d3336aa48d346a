// What the cluster caches keep of the objects they hold. A whole Pod is 3–6 KB of JSON (volumes, tolerations, every
// condition's timestamps…) and a cluster with 10,000 pods held ~40 MB of them, though the tree reads a handful of
// fields; so a Pod is cut down to those fields as it is decoded (LIST item or watch event). Other kinds keep all but
// managedFields: they are few, and the rows read most of them; Services, as many as pods on some clusters, keep what
// their rows and Open Service in Browser read. Reveal in YAML does not read these caches: it reads
// and watches its one object whole (infra/cluster/objectFollow.ts).
import type { ContainerStatus, KubeObject, ObjectMeta, Pod, PodContainer, Service } from './objects.ts';

/** managedFields are large and never shown: dropping them halves most objects. */
export function withoutManagedFields<T extends KubeObject>(o: T): T {
  const meta = o.metadata as ObjectMeta & { managedFields?: unknown };
  if (!meta.managedFields) return o;
  const { managedFields: _drop, ...rest } = meta;
  return { ...o, metadata: rest };
}

/**
 * A Pod with only what its readers use (core/liqo/snapshot.ts podSummary, isPodReady, podPlacement; core/tree
 * podNodes.ts and namespaceNodes.ts rows, tooltips and context values; the keys and sorting of every pod list):
 * - metadata: name and namespace (keys, labels of rows), uid and resourceVersion (identity), labels (the
 *   remote-unavailable mark; a pod's labels are few), deletionTimestamp (Terminating);
 * - spec.nodeName (where it runs: a local node or a virtual node); the resource requests of containers and init
 *   containers (with an init container's restartPolicy: sidecars) and the pod overhead, which core/capacity sums
 *   (only containers with requests are kept, and of them only name, requests and restartPolicy);
 * - status: phase, reason and message (row and tooltip), each condition's type and status (Ready), each container
 *   status's name, ready, restartCount and the reason and exit code of a waiting or terminated state (the problem
 *   a row shows).
 * Fields absent from the object stay absent, so a projected pod reads exactly like the original in those readers.
 */
export function cachedPod(o: KubeObject): Pod {
  const p = o as Pod;
  const m = p.metadata;
  const metadata: Mutable<ObjectMeta> = { name: m.name };
  if (m.namespace !== undefined) metadata.namespace = m.namespace;
  if (m.uid !== undefined) metadata.uid = m.uid;
  if (m.resourceVersion !== undefined) metadata.resourceVersion = m.resourceVersion;
  if (m.labels !== undefined) metadata.labels = m.labels;
  if (m.deletionTimestamp !== undefined) metadata.deletionTimestamp = m.deletionTimestamp;
  const out: { metadata: ObjectMeta; spec?: Pod['spec']; status?: Pod['status'] } = { metadata };
  if (p.spec) {
    const spec: Mutable<NonNullable<Pod['spec']>> = {};
    if (p.spec.nodeName !== undefined) spec.nodeName = p.spec.nodeName;
    // What the scheduler counts (core/capacity/podRequests.ts): requests only, and only of containers that have some.
    if (p.spec.containers?.some(hasRequests)) spec.containers = p.spec.containers.map(cachedContainer);
    if (p.spec.initContainers?.some(hasRequests)) spec.initContainers = p.spec.initContainers.map(cachedContainer);
    if (p.spec.overhead !== undefined) spec.overhead = p.spec.overhead;
    out.spec = spec;
  }
  const s = p.status;
  if (s) {
    const status: Mutable<NonNullable<Pod['status']>> = {};
    if (s.phase !== undefined) status.phase = s.phase;
    if (s.reason !== undefined) status.reason = s.reason;
    if (s.message !== undefined) status.message = s.message;
    if (s.conditions) status.conditions = s.conditions.map((c) => ({ type: c.type, status: c.status }));
    if (s.containerStatuses) status.containerStatuses = s.containerStatuses.map(cachedContainerStatus);
    out.status = status;
  }
  return out;
}

const hasRequests = (c: PodContainer): boolean => Object.keys(c.resources?.requests ?? {}).length > 0;

function cachedContainer(c: PodContainer): PodContainer {
  const out: Mutable<PodContainer> = { name: c.name };
  if (c.resources?.requests && Object.keys(c.resources.requests).length > 0) out.resources = { requests: c.resources.requests };
  if (c.restartPolicy !== undefined) out.restartPolicy = c.restartPolicy;
  return out;
}

const RUNNING: NonNullable<ContainerStatus['state']>['running'] = Object.freeze({});

function cachedContainerStatus(cs: ContainerStatus): ContainerStatus {
  const out: Mutable<ContainerStatus> = { name: cs.name };
  if (cs.ready !== undefined) out.ready = cs.ready;
  if (cs.restartCount !== undefined) out.restartCount = cs.restartCount;
  const w = cs.state?.waiting;
  const t = cs.state?.terminated;
  if (cs.state) {
    const state: Mutable<NonNullable<ContainerStatus['state']>> = {};
    if (w) state.waiting = w.reason !== undefined ? { reason: w.reason } : {};
    if (t) {
      const term: Mutable<NonNullable<NonNullable<ContainerStatus['state']>['terminated']>> = {};
      if (t.exitCode !== undefined) term.exitCode = t.exitCode;
      if (t.reason !== undefined) term.reason = t.reason;
      state.terminated = term;
    }
    // A running state's start time is read by no row: one shared empty object keeps "running" known without it.
    if (cs.state.running) state.running = RUNNING;
    out.state = state;
  }
  return out;
}

/** The labels core/portForward/serviceTarget.ts wellKnownApp reads (a Helm chart's service carries a dozen more). */
export const SERVICE_LABELS_KEPT: readonly string[] = ['app.kubernetes.io/name', 'app'];

/**
 * A Service with only what its readers use (core/tree/serviceNodes.ts rows, wellKnownApp, forwardablePorts): name,
 * namespace, uid and resourceVersion; the labels wellKnownApp reads; spec.type; each port's name, port and protocol
 * (not targetPort or nodePort: the forward resolves its target on the API server); and `hasSelector` in place of the
 * selector (only whether it selects pods is shown: a forward needs one).
 */
export function cachedService(o: KubeObject): Service {
  const raw = o as KubeObject & { spec?: { type?: string; selector?: Record<string, string>; ports?: readonly { name?: string; port: number; protocol?: string }[] } };
  const m = raw.metadata;
  const metadata: Mutable<ObjectMeta> = { name: m.name };
  if (m.namespace !== undefined) metadata.namespace = m.namespace;
  if (m.uid !== undefined) metadata.uid = m.uid;
  if (m.resourceVersion !== undefined) metadata.resourceVersion = m.resourceVersion;
  const labels = Object.fromEntries(SERVICE_LABELS_KEPT.flatMap((k) => (m.labels?.[k] !== undefined ? [[k, m.labels[k]]] : [])));
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  const spec = raw.spec;
  if (!spec) return { metadata };
  const out: Mutable<NonNullable<Service['spec']>> = { hasSelector: Object.keys(spec.selector ?? {}).length > 0 };
  if (spec.type !== undefined) out.type = spec.type;
  if (spec.ports) {
    out.ports = spec.ports.map((p) => {
      const port: Mutable<NonNullable<NonNullable<Service['spec']>['ports']>[number]> = { port: p.port };
      if (p.name !== undefined) port.name = p.name;
      if (p.protocol !== undefined) port.protocol = p.protocol;
      return port;
    });
  }
  return { metadata, spec: out };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
