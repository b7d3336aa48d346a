// One test cluster: etcd, kube-apiserver, (optionally) kube-controller-manager and kube-scheduler, and the kwok
// controller, all bound to 127.0.0.1. This module knows each component's command line and how to tell that it
// is up; the order of starting and the bookkeeping live in index.ts.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FRONT_PROXY_CLIENT, pkiPaths, type ClusterPki } from './pki.ts';
import { isAlive, tail } from './processes.ts';
import { KWOK_NODE_ANNOTATION } from './kwok-config.ts';
import { KWOK_ENABLED_CRDS, KWOK_METRICS_CRDS } from './crds.ts';
import { liqoComponentArgv, liqoComponentEnv, type LiqoComponent, type LiqoLayout } from './live/liqo-components.ts';

export type Component = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok' | 'metrics-server' | LiqoComponent;

export interface ClusterPorts {
  etcd: number;
  etcdPeer: number;
  apiserver: number;
  kwok: number;
  /** Liqo's webhook (live scenario only; picked for every cluster so the layout stays one shape) */
  liqoWebhook: number;
  /** metrics-server's secure port (scenarios with metrics only; picked for every cluster like the webhook's) */
  metricsServer: number;
}

export interface ClusterLayout {
  name: string;
  dir: string;
  ports: ClusterPorts;
  /** run kube-controller-manager and kube-scheduler */
  controllers: boolean;
  /** pod CIDR kwok hands pod IPs from */
  podCidr: string;
  /** run Liqo's own control plane on this cluster (the live scenario) */
  liqo?: LiqoLayout;
  /** run metrics-server (built from its Go module), registered as the metrics.k8s.io APIService */
  metricsServer?: boolean;
}

export function clusterFiles(dir: string) {
  return {
    pki: pkiPaths(path.join(dir, 'pki')),
    kubeconfig: path.join(dir, 'admin.kubeconfig'),
    kwokConfig: path.join(dir, 'kwok.yaml'),
    etcdData: path.join(dir, 'etcd-data'),
    logs: path.join(dir, 'logs'),
    auditPolicy: path.join(dir, 'audit-policy.yaml'),
    /** kube-apiserver's audit log: one JSON line per write request (see AUDIT_POLICY). */
    auditLog: path.join(dir, 'logs', 'audit.log'),
    podLogs: path.join(dir, 'pod-logs'),
    home: path.join(dir, 'home'),
  };
}

export function serverUrl(c: ClusterLayout): string {
  return `https://127.0.0.1:${c.ports.apiserver}`;
}

/** A kubeconfig for the components, pointing at files (the user-facing one embeds data, see kubeconfig.ts). */
export function writeComponentKubeconfig(c: ClusterLayout): void {
  const f = clusterFiles(c.dir);
  const text = `apiVersion: v1
kind: Config
clusters:
- name: ${c.name}
  cluster:
    server: ${serverUrl(c)}
    certificate-authority: ${f.pki.caCert}
users:
- name: admin
  user:
    client-certificate: ${f.pki.adminCert}
    client-key: ${f.pki.adminKey}
contexts:
- name: ${c.name}
  context: {cluster: ${c.name}, user: admin}
current-context: ${c.name}
`;
  fs.writeFileSync(f.kubeconfig, text);
}

/**
 * The API server's own record of writes, for tests that must prove nothing was written (read-only contexts): every
 * write verb at Metadata level, except the leases and events the components write all the time.
 */
export const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  resources:
  - {group: coordination.k8s.io, resources: [leases]}
  - {group: "", resources: [events]}
  - {group: events.k8s.io, resources: [events]}
- level: Metadata
  verbs: [create, update, patch, delete, deletecollection]
- level: None
`;

export function writeAuditPolicy(c: ClusterLayout): void {
  fs.writeFileSync(clusterFiles(c.dir).auditPolicy, AUDIT_POLICY);
}

/** metrics-server's scrape interval in the test bed (its default, 60 s, would make tests wait long). */
export const METRICS_RESOLUTION_SECONDS = 15;

export function componentArgv(c: ClusterLayout, component: Component, binDir: string): string[] {
  const f = clusterFiles(c.dir);
  const bin = (name: string) => path.join(binDir, name);
  const pki: ClusterPki = f.pki;
  switch (component) {
    case 'etcd':
      return [
        bin('etcd'),
        '--name=node0',
        `--data-dir=${f.etcdData}`,
        `--listen-client-urls=http://127.0.0.1:${c.ports.etcd}`,
        `--advertise-client-urls=http://127.0.0.1:${c.ports.etcd}`,
        `--listen-peer-urls=http://127.0.0.1:${c.ports.etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${c.ports.etcdPeer}`,
        `--initial-cluster=node0=http://127.0.0.1:${c.ports.etcdPeer}`,
        '--auto-compaction-retention=1',
        '--quota-backend-bytes=4294967296',
        // test data, thrown away at `down`: durability is not worth the fsync latency
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ];
    case 'kube-apiserver':
      return [
        bin('kube-apiserver'),
        '--advertise-address=127.0.0.1',
        '--bind-address=127.0.0.1',
        `--secure-port=${c.ports.apiserver}`,
        `--etcd-servers=http://127.0.0.1:${c.ports.etcd}`,
        `--tls-cert-file=${pki.apiserverCert}`,
        `--tls-private-key-file=${pki.apiserverKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--service-account-key-file=${pki.saPub}`,
        `--service-account-signing-key-file=${pki.saKey}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-cluster-ip-range=10.96.0.0/16',
        '--authorization-mode=Node,RBAC',
        '--allow-privileged=true',
        // kwok is each node's kubelet: reach it on the node's InternalIP, verify it with the cluster CA
        '--kubelet-preferred-address-types=InternalIP',
        `--kubelet-certificate-authority=${pki.caCert}`,
        `--kubelet-client-certificate=${pki.adminCert}`,
        `--kubelet-client-key=${pki.adminKey}`,
        // API aggregation (metrics.k8s.io): the API server proxies with a front-proxy client certificate, and
        // publishes the requestheader CA in kube-system/extension-apiserver-authentication for aggregated servers
        `--requestheader-client-ca-file=${pki.frontProxyCaCert}`,
        `--requestheader-allowed-names=${FRONT_PROXY_CLIENT}`,
        '--requestheader-username-headers=X-Remote-User',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        `--proxy-client-cert-file=${pki.frontProxyClientCert}`,
        `--proxy-client-key-file=${pki.frontProxyClientKey}`,
        '--event-ttl=720h',
        `--audit-policy-file=${f.auditPolicy}`,
        `--audit-log-path=${f.auditLog}`,
        '--audit-log-maxsize=200',
        '--audit-log-maxbackup=1',
        '--profiling=false',
        '--v=1',
      ];
    case 'kube-controller-manager':
      return [
        bin('kube-controller-manager'),
        `--kubeconfig=${f.kubeconfig}`,
        `--authentication-kubeconfig=${f.kubeconfig}`,
        `--authorization-kubeconfig=${f.kubeconfig}`,
        '--bind-address=127.0.0.1',
        '--secure-port=0',
        '--leader-elect=false',
        `--root-ca-file=${pki.caCert}`,
        `--service-account-private-key-file=${pki.saKey}`,
        '--use-service-account-credentials=false',
        // the CSR signer: Liqo's tenant controller and virtual kubelets get their certificates through the CSR API
        `--cluster-signing-cert-file=${pki.caCert}`,
        `--cluster-signing-key-file=${pki.caKey}`,
        // Scenario pods live on fake and virtual nodes by design; nothing should evict or garbage-collect them.
        '--controllers=*,-taint-eviction-controller,-pod-garbage-collector-controller',
        '--kube-api-qps=500',
        '--kube-api-burst=1000',
        '--v=1',
      ];
    case 'kube-scheduler':
      return [
        bin('kube-scheduler'),
        `--kubeconfig=${f.kubeconfig}`,
        `--authentication-kubeconfig=${f.kubeconfig}`,
        `--authorization-kubeconfig=${f.kubeconfig}`,
        '--bind-address=127.0.0.1',
        '--secure-port=0',
        '--leader-elect=false',
        '--kube-api-qps=500',
        '--kube-api-burst=1000',
        '--v=1',
      ];
    case 'kwok':
      return [
        bin('kwok'),
        `--kubeconfig=${f.kubeconfig}`,
        `--config=${f.kwokConfig}`,
        '--manage-all-nodes=false',
        `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
        '--node-ip=127.0.0.1',
        `--node-port=${c.ports.kwok}`,
        `--server-address=127.0.0.1:${c.ports.kwok}`,
        `--tls-cert-file=${pki.kwokCert}`,
        `--tls-private-key-file=${pki.kwokKey}`,
        '--node-lease-duration-seconds=40',
        // PortForward objects in the cluster say where kwok forwards a pod's port (tests point them at loopback)
        // with metrics: Metric and (Cluster)ResourceUsage objects make kwok serve each node's kubelet resource
        // metrics (/metrics/nodes/<node>/metrics/resource) from the usage they declare
        `--enable-crds=${[...KWOK_ENABLED_CRDS, ...(c.metricsServer ? KWOK_METRICS_CRDS : [])].join(',')}`,
        `--cidr=${c.podCidr}`,
        '-v=INFO',
      ];
    case 'metrics-server':
      return [
        bin('metrics-server'),
        `--kubeconfig=${f.kubeconfig}`,
        `--authentication-kubeconfig=${f.kubeconfig}`,
        `--authorization-kubeconfig=${f.kubeconfig}`,
        `--requestheader-client-ca-file=${pki.frontProxyCaCert}`,
        `--requestheader-allowed-names=${FRONT_PROXY_CLIENT}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${c.ports.metricsServer}`,
        `--tls-cert-file=${pki.metricsServerCert}`,
        `--tls-private-key-file=${pki.metricsServerKey}`,
        // kwok is every fake node's kubelet on 127.0.0.1:<kwok port> (the node's InternalIP and status port);
        // its serving certificate is signed by the cluster CA for 127.0.0.1, so TLS is verified, not skipped
        '--kubelet-preferred-address-types=InternalIP',
        '--kubelet-use-node-status-port',
        `--kubelet-certificate-authority=${pki.caCert}`,
        `--metric-resolution=${METRICS_RESOLUTION_SECONDS}s`,
        '--profiling=false',
        '--v=1',
      ];
    default:
      if (!c.liqo) throw new Error(`${c.name} does not run Liqo (${component})`);
      return liqoComponentArgv(c, c.liqo, component, binDir);
  }
}

/** Environment per component: kwok would otherwise read ~/.kwok/kwok.yaml. */
export function componentEnv(c: ClusterLayout, component: Component): Record<string, string> {
  if (component === 'kwok') return { HOME: clusterFiles(c.dir).home };
  if (c.liqo && (component === 'liqo-controller-manager' || component === 'crd-replicator' || component === 'liqo-webhook')) return liqoComponentEnv(c, c.liqo, component);
  return {};
}

export function componentLog(c: ClusterLayout, component: Component): string {
  return path.join(clusterFiles(c.dir).logs, `${component}.log`);
}

function httpGet(url: string, options: https.RequestOptions = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    // No keep-alive agent: the probe runs in the benchmarks' process too, where an idle connection it left open was
    // counted as a second connection of the explorer's to that API server.
    const req = mod.get(url, { ...options, agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export async function probe(c: ClusterLayout, component: 'etcd' | 'kube-apiserver'): Promise<boolean> {
  try {
    if (component === 'etcd') {
      const res = await httpGet(`http://127.0.0.1:${c.ports.etcd}/health`);
      return res.status === 200 && res.body.includes('"health":"true"');
    }
    const f = clusterFiles(c.dir);
    const res = await httpGet(`${serverUrl(c)}/readyz`, {
      ca: fs.readFileSync(f.pki.caCert),
      cert: fs.readFileSync(f.pki.adminCert),
      key: fs.readFileSync(f.pki.adminKey),
    });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Explains a component that died while starting, spotting the common causes. */
export function startFailure(c: ClusterLayout, component: Component): Error {
  const log = tail(componentLog(c, component), 20);
  const inUse = /address already in use|bind: address/i.test(log);
  const hint = inUse
    ? `a port of ${c.name} is already in use (ports: ${JSON.stringify(c.ports)}); stop whatever holds it, or run 'npm run testbed:down' if it is an old test bed`
    : 'see the log below';
  return new Error(`${c.name}: ${component} exited while starting: ${hint}\n--- ${componentLog(c, component)} (last lines)\n${log}`);
}

export async function waitReady(c: ClusterLayout, component: 'etcd' | 'kube-apiserver', pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe(c, component))) {
    if (!isAlive(pid)) throw startFailure(c, component);
    if (Date.now() > deadline) {
      throw new Error(`${c.name}: ${component} not ready after ${timeoutMs / 1000} s\n--- ${componentLog(c, component)}\n${tail(componentLog(c, component))}`);
    }
    await sleep(component === 'etcd' ? 50 : 150);
  }
}
