// The live scenario's stand-in for the kubelet that would run Liqo's virtual-kubelet pods: for every
// `vk-<VirtualNode>` Deployment that Liqo's controller creates (held at 0 replicas, so no pod is ever scheduled),
// it starts the Deployment's virtual-kubelet container as a local process; when Liqo deletes the Deployment, it
// stops that process (otherwise the running VK would recreate the Node the controller just deleted).
//
// Each VK gets: its own folder, mounted over /tmp/certs in a mount namespace of its own (Liqo's VK keeps its serving
// certificate in that fixed path and reuses a valid one it finds there: without this, every VK on the machine shared
// one certificate, and a second test bed's API server refused it as signed by another CA of the same name), a token
// kubeconfig of the Deployment's ServiceAccount (Liqo approves
// the VK's kubelet-certificate CSR only from liqo-tenant-* service accounts), a free port of its own, the
// container's arguments with $(POD_IP) → 127.0.0.1, and the container's POD_* variables. Its pid goes to
// .testbed/pids like every daemon's, so `down` stops it even if this supervisor died.
//
// Each VK also serves Liqo's metrics (liqo_virtual_kubelet_reflection_*) on 127.0.0.1:<a free port>, as the chart's
// `virtualKubelet.metrics.enabled` would in a pod; the supervisor lists that address for Prometheus in
// <state dir>/prometheus-targets/<cluster>-vk-<name>.json (file_sd format, removed when the VK stops), so a
// Prometheus started by a test scrapes exactly the VKs that run.
//
// Started detached by the test bed: node vk-supervisor.ts <state dir> <config.json>. Exits when the state
// directory goes away. Logs to its own file; each VK to clusters/<cluster>/logs/vk-<name>.log.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeRest } from '../kube-rest.ts';
import { pkiPaths } from '../pki.ts';
import { isAlive, spawnDaemon, stopPids } from '../processes.ts';
import { freePort } from '../ports.ts';

export interface SupervisorConfig {
  binDir: string;
  clusters: { name: string; dir: string; server: string }[];
}

type Container = { name: string; args?: string[]; env?: { name: string; value?: string }[] };
type Deployment = {
  metadata: { name: string; namespace: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec: { template: { spec: { serviceAccountName?: string; containers: Container[] } } };
};

interface RunningVk {
  pid: number;
  key: string;
  cluster: string;
  vn: string;
  restarts: number;
  nextStart: number;
}

const [stateDirArg, configFile] = process.argv.slice(2);
if (!stateDirArg || !configFile) {
  console.error('usage: vk-supervisor.ts <state dir> <config.json>');
  process.exit(2);
}
const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as SupervisorConfig;
/** Where the VKs' metrics addresses are listed for Prometheus' file_sd_configs (statePaths.prometheusTargets). */
const prometheusTargetsDir = (stateDir: string) => path.join(stateDir, 'prometheus-targets');
const targetFile = (cluster: string, vn: string) => path.join(prometheusTargetsDir(stateDirArg as string), `${cluster}-vk-${vn}.json`);

const say = (msg: string) => process.stdout.write(`${new Date().toISOString()} ${msg}\n`);

function tokenKubeconfig(server: string, caFile: string, token: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'home', cluster: { server, 'certificate-authority': caFile } }],
    users: [{ name: 'vk', user: { token } }],
    contexts: [{ name: 'home', context: { cluster: 'home', user: 'vk' } }],
    'current-context': 'home',
  });
}

/** Where Liqo's virtual kubelet (v1.0 to v1.2) keeps its serving certificate: a constant in its code. */
const VK_CERTS_PATH = '/tmp/certs';

/**
 * The argv that runs `argv` with `dir` mounted over VK_CERTS_PATH, in a mount namespace of its own (root: `unshare
 * -m`; others: also a user namespace, `-Urm`). The shell script is a constant; the paths and the VK's arguments are
 * its positional parameters, and it execs the VK, which keeps the pid the test bed records.
 */
function privateCertsDir(dir: string, argv: string[]): string[] {
  const ns = process.getuid?.() === 0 ? ['-m'] : ['-U', '-r', '-m'];
  return ['unshare', ...ns, '--', 'sh', '-c', 'mount --bind "$1" "$2" && shift 2 && exec "$@"', 'vk-certs', dir, VK_CERTS_PATH, ...argv];
}

async function startVk(client: KubeRest, cluster: SupervisorConfig['clusters'][number], dep: Deployment): Promise<number> {
  const { name: depName, namespace } = dep.metadata;
  const vn = depName.replace(/^vk-/, '');
  const podSpec = dep.spec.template.spec;
  const container = podSpec.containers[0];
  if (!container) throw new Error(`${namespace}/${depName} has no container`);
  const sa = podSpec.serviceAccountName ?? 'default';
  const dir = path.join(cluster.dir, 'liqo', 'virtual-kubelets', vn);
  fs.rmSync(dir, { recursive: true, force: true }); // a certificate from an earlier run would be reused
  fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.join(dir, 'certs'), { recursive: true, mode: 0o700 });
  fs.mkdirSync(VK_CERTS_PATH, { recursive: true }); // the mount point (empty; nothing is written there)
  const tr = (await client.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${sa}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 24 * 3600 },
  })) as { status: { token: string } };
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, tokenKubeconfig(cluster.server, pkiPaths(path.join(cluster.dir, 'pki')).caCert, tr.status.token), { mode: 0o600 });
  const port = await freePort();
  const metricsPort = await freePort();
  const env: Record<string, string> = { TMPDIR: path.join(dir, 'tmp'), POD_IP: '127.0.0.1', POD_NAME: `${depName}-local`, POD_NAMESPACE: namespace, VIRTUALNODE_NAME: vn };
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  const args = (container.args ?? []).map((a) => a.replaceAll('$(POD_IP)', '127.0.0.1').replace(/\$\((\w+)\)/g, (m, v: string) => env[v] ?? m));
  const d = spawnDaemon({
    id: `${cluster.name}/vk-${vn}`,
    argv: privateCertsDir(path.join(dir, 'certs'), [path.join(config.binDir, 'virtual-kubelet'), ...args, `--listen-port=${port}`, `--home-kubeconfig=${kubeconfig}`, '--metrics-enabled=true', `--metrics-address=127.0.0.1:${metricsPort}`]),
    logFile: path.join(cluster.dir, 'logs', `vk-${vn}.log`),
    env,
  });
  fs.mkdirSync(prometheusTargetsDir(stateDirArg as string), { recursive: true });
  const target = [{ targets: [`127.0.0.1:${metricsPort}`], labels: { testbed_cluster: cluster.name, component: 'virtual-kubelet', virtual_node: vn } }];
  fs.writeFileSync(`${targetFile(cluster.name, vn)}.tmp`, JSON.stringify(target));
  fs.renameSync(`${targetFile(cluster.name, vn)}.tmp`, targetFile(cluster.name, vn)); // Prometheus never reads half a file
  say(`${cluster.name}: started virtual-kubelet for ${namespace}/${vn} (pid ${d.pid}, port ${port}, metrics 127.0.0.1:${metricsPort})`);
  return d.pid;
}

const running = new Map<string, RunningVk>();

async function reconcile(client: KubeRest, cluster: SupervisorConfig['clusters'][number]): Promise<void> {
  const list = (await client.request('GET', '/apis/apps/v1/deployments?labelSelector=offloading.liqo.io%2Fcomponent%3Dvirtual-kubelet')) as { items: Deployment[] };
  const wanted = new Map(list.items.filter((d) => !d.metadata.deletionTimestamp).map((d) => [`${cluster.name}/${d.metadata.namespace}/${d.metadata.name}`, d]));
  for (const [key, vk] of running) {
    if (!key.startsWith(`${cluster.name}/`) || wanted.has(key)) continue;
    say(`${key}: its Deployment is gone; stopping the virtual-kubelet (pid ${vk.pid})`);
    await stopPids([vk.pid], 10_000);
    fs.rmSync(targetFile(vk.cluster, vk.vn), { force: true });
    running.delete(key);
  }
  for (const [key, dep] of wanted) {
    const vn = dep.metadata.name.replace(/^vk-/, '');
    const vk = running.get(key);
    if (vk && isAlive(vk.pid)) continue;
    if (vk && Date.now() < vk.nextStart) continue;
    if (vk) say(`${key}: the virtual-kubelet (pid ${vk.pid}) exited; restarting it (see its log)`);
    const restarts = vk ? vk.restarts + 1 : 0;
    try {
      const pid = await startVk(client, cluster, dep);
      running.set(key, { pid, key, cluster: cluster.name, vn, restarts, nextStart: Date.now() + Math.min(30_000, 1000 * 2 ** restarts) });
    } catch (err) {
      say(`${key}: could not start the virtual-kubelet: ${(err as Error).message}`);
      running.set(key, { pid: 0, key, cluster: cluster.name, vn, restarts, nextStart: Date.now() + 5000 });
    }
  }
}

async function main(): Promise<void> {
  const clients = config.clusters.map((c) => ({ c, client: new KubeRest(c.server, pkiPaths(path.join(c.dir, 'pki')), new Map()) }));
  say(`supervising virtual kubelets on ${config.clusters.map((c) => c.name).join(', ')}`);
  for (;;) {
    if (!fs.existsSync(stateDirArg as string)) process.exit(0);
    for (const { c, client } of clients) {
      try {
        await reconcile(client, c);
      } catch (err) {
        say(`${c.name}: ${(err as Error).message}`);
      }
    }
    await sleep(1000);
  }
}

// SIGTERM (from `down`): stop the VKs first, then exit.
process.once('SIGTERM', () => {
  void stopPids(
    [...running.values()].map((r) => r.pid).filter((p) => p > 0),
    5000,
  ).finally(() => process.exit(0));
});

void main();
