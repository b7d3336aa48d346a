// Which pod and port a forward to a Service reaches, chosen as `kubectl port-forward service/…` chooses: a running,
// not terminating pod its selector matches (a Ready one first, then the longest running), and the service port's
// targetPort resolved against that pod (a number, or a container port's name). Also which services are worth
// suggesting (Grafana, Prometheus) by their well-known labels and names. Pure.

export interface ServicePortSpec {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol?: string;
}

export interface ServiceLike {
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: { readonly selector?: Readonly<Record<string, string>>; readonly ports?: readonly ServicePortSpec[] };
}

export interface PodLike {
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>>; readonly deletionTimestamp?: string; readonly creationTimestamp?: string };
  readonly spec?: { readonly containers?: readonly { readonly ports?: readonly { readonly name?: string; readonly containerPort: number; readonly protocol?: string }[] }[] };
  readonly status?: { readonly phase?: string; readonly conditions?: readonly { readonly type: string; readonly status: string }[] };
}

export interface ForwardTarget {
  readonly pod: string;
  readonly port: number;
}

export type TargetChoice = { readonly ok: true; readonly target: ForwardTarget } | { readonly ok: false; readonly reason: string };

/** The ports a forward can use (TCP only: port-forward carries TCP). */
export function forwardablePorts(service: ServiceLike): ServicePortSpec[] {
  return (service.spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
}

/** The label selector as a query value (`a=b,c=d`), or undefined when the service selects no pods itself. */
export function selectorQuery(service: ServiceLike): string | undefined {
  const sel = service.spec?.selector;
  if (!sel || Object.keys(sel).length === 0) return undefined;
  return Object.entries(sel)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

const isReady = (p: PodLike): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/**
 * The pod and port for `servicePort` among `pods` (those the selector lists). Pods named in `avoid` (the ones that
 * just failed) are taken only when nothing else runs.
 */
export function chooseTarget(service: ServiceLike, servicePort: ServicePortSpec, pods: readonly PodLike[], avoid: ReadonlySet<string> = new Set()): TargetChoice {
  const name = `${service.metadata.namespace ?? 'default'}/${service.metadata.name}`;
  const selector = service.spec?.selector;
  if (!selectorQuery(service)) return { ok: false, reason: `service ${name} has no selector, so it names no pod to forward to` };
  const matches = (p: PodLike): boolean => Object.entries(selector ?? {}).every(([k, v]) => p.metadata.labels?.[k] === v);
  const running = pods.filter((p) => matches(p) && !p.metadata.deletionTimestamp && p.status?.phase === 'Running');
  if (running.length === 0) return { ok: false, reason: `no running pod matches service ${name}'s selector ${selectorQuery(service)}` };
  const rank = (p: PodLike): [number, number, number, string] => [avoid.has(p.metadata.name) ? 1 : 0, isReady(p) ? 0 : 1, Date.parse(p.metadata.creationTimestamp ?? '') || Number.MAX_SAFE_INTEGER, p.metadata.name];
  const best = [...running].sort((a, b) => compareRank(rank(a), rank(b)))[0]!;
  const port = targetPortOn(servicePort, best);
  if (port === undefined) return { ok: false, reason: `pod ${best.metadata.name} has no container port named "${String(servicePort.targetPort)}" (service ${name}, port ${servicePort.port})` };
  return { ok: true, target: { pod: best.metadata.name, port } };
}

function compareRank(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The container port a service port sends to on that pod. */
export function targetPortOn(servicePort: ServicePortSpec, pod: PodLike): number | undefined {
  const t = servicePort.targetPort;
  if (t === undefined || t === '') return servicePort.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === t && (p.protocol ?? 'TCP') === 'TCP') return p.containerPort;
  return undefined;
}

export type WellKnownApp = 'Grafana' | 'Prometheus';

/**
 * Grafana or Prometheus, by the labels their charts set (app.kubernetes.io/name, app) or the name
 * kube-prometheus-stack gives them (<release>-grafana, <release>-kube-prometheus-prometheus). Exporters,
 * operators and Alertmanager carry "prometheus" in their names too and are not suggested.
 */
export function wellKnownApp(service: ServiceLike): WellKnownApp | undefined {
  const labels = service.metadata.labels ?? {};
  const app = (labels['app.kubernetes.io/name'] ?? labels.app ?? '').toLowerCase();
  const name = service.metadata.name.toLowerCase();
  if (app === 'grafana' || /(^|-)grafana$/.test(name)) return 'Grafana';
  if (app === 'prometheus' || /-prometheus-prometheus$/.test(app) || /(^|-)prometheus$/.test(name)) return 'Prometheus';
  return undefined;
}
