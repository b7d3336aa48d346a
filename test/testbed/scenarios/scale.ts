// scale-N: N clusters (1..10) for benchmarks, lighter than the federation (no controller-manager or scheduler:
// every pod is bound to its node when written). scale-1 consumes from every other cluster (ForeignCluster,
// VirtualNode and virtual Node per provider); the others see scale-1 as their consumer. Each cluster has
// LIQO_TESTBED_SCALE_NAMESPACES namespaces (default 10) of LIQO_TESTBED_SCALE_PODS pods (default 10); on scale-1
// every other namespace is offloaded, its pods on the virtual nodes and their twins on the providers.
// scale-large: scale-10 whose scale-1 has 1,000 namespaces of 10 pods, every one offloaded (the tree watches and
// shows all 10,000 pods); the providers stay small (their twins are only those of scale-1's first 10 namespaces).
import path from 'node:path';
import { statePaths } from '../paths.ts';
import type { KubeObject } from '../kube-rest.ts';
import { applyAll } from './apply.ts';
import * as f from './forge.ts';
import type { ClusterPlan, LogFile, ReadyCheck, ScenarioEnv, ScenarioPlan } from './types.ts';

const WORKERS = 3;
const int = (v: string | undefined, d: number) => (v && /^\d+$/.test(v) ? Number(v) : d);

/**
 * scale-large: the consumer's size, and how many of its namespaces get twins on the providers.
 * LIQO_TESTBED_LARGE_NAMESPACES shrinks it (a quicker check of the benchmark on a busy machine).
 */
export const LARGE = { clusters: 10, namespaces: int(process.env.LIQO_TESTBED_LARGE_NAMESPACES, 1000), pods: 10, twinnedNamespaces: 10 } as const;

function sizes() {
  return { namespaces: int(process.env.LIQO_TESTBED_SCALE_NAMESPACES, 10), pods: int(process.env.LIQO_TESTBED_SCALE_PODS, 10) };
}

export function planScaleLarge(): ScenarioPlan {
  return planScale(LARGE.clusters, 'large');
}

export function planScale(n: number, variant: 'even' | 'large' = 'even'): ScenarioPlan {
  if (!Number.isInteger(n) || n < 1 || n > 10) throw new Error(`scale-${n}: the scale scenario takes 1 to 10 clusters`);
  const names = Array.from({ length: n }, (_, i) => `scale-${i + 1}`);
  const large = variant === 'large';
  const small = sizes();
  const consumerSize = large ? { namespaces: LARGE.namespaces, pods: LARGE.pods } : small;
  const logFile = (c: string) => path.join(statePaths.cluster(c), 'pod-logs', 'all-pods.log');
  const clusters: ClusterPlan[] = names.map((name, i) => ({
    name,
    controllers: false,
    podCidr: `10.${100 + i}.0.0/16`,
    logs: [],
    catchAllLogs: [{ name: 'all-pods', file: logFile(name) }],
  }));
  const logFiles: LogFile[] = names.map((c) => ({
    file: logFile(c),
    history: ['app started'],
    live: ['handled request GET /healthz 200', 'handled request POST /api/v1/items 201', 'cache refresh done'],
  }));
  const consumer = names[0] as string;
  const providers = names.slice(1);
  const sizeOf = (c: string) => (c === consumer ? consumerSize : small);
  // scale-1's offloaded namespaces (all of them in scale-large, so that the tree shows every pod)
  const offloaded = (k: number) => providers.length > 0 && (large || k % 2 === 1);
  const twinned = (k: number) => offloaded(k) && (!large || k <= LARGE.twinnedNamespaces);
  // Pods are bound by name (no scheduler), but the virtual nodes advertise room for what they carry.
  const vnPods = Math.max(1000, Math.ceil((consumerSize.namespaces * consumerSize.pods) / Math.max(1, providers.length)) + 100);
  const VN_CAPACITY = { cpu: '64', memory: '256Gi', pods: String(vnPods) };
  const readiness: ReadyCheck[] = names.map((c) => {
    let expected = sizeOf(c).namespaces * sizeOf(c).pods;
    if (c !== consumer) {
      // twins of the consumer's offloaded pods placed on this provider's virtual node
      for (let k = 1; k <= consumerSize.namespaces; k++) {
        if (!twinned(k)) continue;
        for (let p = 1; p <= consumerSize.pods; p++) if (providers[(p - 1) % providers.length] === c) expected++;
      }
    }
    return {
      cluster: c,
      nodes: [
        ...Array.from({ length: WORKERS }, (_, w) => ({ name: `${c}-worker-${w + 1}`, ready: true })),
        ...(c === consumer ? providers.map((p) => ({ name: p, ready: true })) : []),
      ],
      pods: [],
      deployments: [],
      minPods: expected,
    };
  });

  return {
    name: large ? 'scale-large' : `scale-${n}`,
    clusters,
    logFiles,
    readiness,
    // 10,000 pods: kwok needs a while to start them all on 2 shared cores
    readyTimeoutMs: large ? 1_800_000 : 120_000,
    populate: async (env: ScenarioEnv) => {
      // These carry no status of their own (kwok writes the pods'): a plain create is cheaper than an apply.
      await Promise.all(names.map((c) => applyAll(env.client(c), objectsFor(env, c), large && c === consumer ? 32 : 24, new Set(['Namespace', 'ServiceAccount', 'Pod']))));
    },
  };

  function objectsFor(env: ScenarioEnv, c: string): KubeObject[] {
    const i = names.indexOf(c);
    const objs: KubeObject[] = [
      ...f.liqoInstallation({
        clusterId: c,
        apiServerUrl: env.url(c),
        podCidr: `10.${100 + i}.0.0/16`,
        serviceCidr: '10.96.0.0/16',
        externalCidr: `10.${120 + i}.0.0/16`,
        internalCidr: `10.${140 + i}.0.0/16`,
      }),
      ...Array.from({ length: WORKERS }, (_, w) => f.workerNode(`${c}-worker-${w + 1}`, { cpu: '32', memory: '128Gi', pods: String(vnPods) })),
    ];
    const peerModules = {
      networking: [f.fcConditions.networkConfiguration(), f.fcConditions.gatewayPresence(), f.fcConditions.connection('Connected' as const)],
      authentication: [f.fcConditions.identity('Ready')],
    };
    if (c === consumer) {
      for (const p of providers) {
        const tns = f.tenantNamespaceName(p);
        objs.push(
          f.foreignCluster({
            clusterId: p,
            role: 'Provider',
            apiServerUrl: env.url(p),
            localTenantNamespace: tns,
            remoteTenantNamespace: f.tenantNamespaceName(consumer),
            ...peerModules,
            offloading: [f.fcConditions.virtualNodes(true), f.fcConditions.nodes(true)],
            conditions: [f.fcConditions.apiServer(true)],
          }),
          f.tenantNamespace(p),
          f.resourceSlice(tns, p, consumer, p, VN_CAPACITY, { 'topology.region': `region-${p}` }, true),
          f.virtualNodeCr(tns, p, p, VN_CAPACITY, { 'topology.region': `region-${p}` }, true),
          f.virtualNode(p, p, VN_CAPACITY, { 'topology.region': `region-${p}` }, true),
          f.gatewayClient(tns, p, '127.0.0.1', 30000 + names.indexOf(p)),
          f.connection(tns, p, 'Client', 'Connected', '0.9ms'),
        );
      }
    } else {
      const tns = f.tenantNamespaceName(consumer);
      objs.push(
        f.foreignCluster({
          clusterId: consumer,
          role: 'Consumer',
          apiServerUrl: env.url(consumer),
          localTenantNamespace: tns,
          remoteTenantNamespace: f.tenantNamespaceName(c),
          networking: peerModules.networking,
          authentication: [f.fcConditions.tenant(true)],
          conditions: [f.fcConditions.apiServer(true)],
        }),
        f.tenantNamespace(consumer),
        f.tenant(tns, consumer),
        f.gatewayServer(tns, consumer, '127.0.0.1', 30000 + i),
        f.connection(tns, consumer, 'Server', 'Connected', '0.9ms'),
      );
    }
    const { namespaces, pods } = sizeOf(c);
    for (let k = 1; k <= Math.max(namespaces, c === consumer ? 0 : consumerSize.namespaces); k++) {
      const ns = `team-${k}`;
      // the provider-side twins of the consumer's offloaded namespace
      if (c !== consumer && twinned(k)) objs.push(...twinsOf(c, k));
      if (k > namespaces) continue;
      const off = c === consumer && offloaded(k);
      objs.push(f.namespace(ns, off ? { 'liqo.io/scheduling-enabled': 'true' } : {}), f.serviceAccount(ns));
      if (off) {
        objs.push(
          f.namespaceOffloading(
            ns,
            `${ns}-${consumer}`,
            'Ready',
            Object.fromEntries(providers.map((p) => [p, [f.remoteNsConditions.selected(), f.remoteNsConditions.created()]])),
          ),
        );
      }
      for (let p = 1; p <= pods; p++) {
        const provider = providers[(p - 1) % providers.length] ?? '';
        objs.push(
          f.pod({
            namespace: ns,
            name: `app-${k}-${p}`,
            nodeName: off ? provider : `${c}-worker-${((p - 1) % WORKERS) + 1}`,
            image: 'docker.io/library/nginx:1.27',
            labels: { app: `app-${k}`, ...(off ? { 'liqo.io/shadowPod': 'true' } : {}) },
            tolerations: off ? [f.virtualNodeToleration] : [],
          }),
        );
      }
    }
    return objs;
  }

  function twinsOf(c: string, k: number): KubeObject[] {
    const ns = `team-${k}`;
    const twin = `${ns}-${consumer}`;
    const objs: KubeObject[] = [f.namespace(twin, { [f.REMOTE_CLUSTER_ID]: consumer }, { 'liqo.io/original-name': ns }), f.serviceAccount(twin)];
    for (let p = 1; p <= consumerSize.pods; p++) {
      if (providers[(p - 1) % providers.length] !== c) continue;
      objs.push(
        f.pod({
          namespace: twin,
          name: `app-${k}-${p}`,
          nodeName: `${c}-worker-${((p - 1) % WORKERS) + 1}`,
          image: 'docker.io/library/nginx:1.27',
          labels: { app: `app-${k}`, 'offloading.liqo.io/origin': consumer, 'offloading.liqo.io/destination': c, 'liqo.io/managed-by': 'shadowpod' },
        }),
      );
    }
    return objs;
  }
}
