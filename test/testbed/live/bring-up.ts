// Brings Liqo's own control plane up on the live scenario's clusters, once their API servers, controllers and
// kwok run: the chart's static objects, then the webhook process (its configurations are failurePolicy Fail, so
// they go in only once it serves), then liqo-controller-manager and crd-replicator, then the supervisor of
// virtual kubelets. Ready when every controller-manager has created its authentication keys (what
// `liqoctl peer` needs first). No Liqo custom resource is written here: Liqo's controllers make them all.
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterLayout } from '../cluster.ts';
import type { KubeRest } from '../kube-rest.ts';
import { tail } from '../processes.ts';
import type { LiqoComponent } from './liqo-components.ts';
import { applyInOrder, renderStaticObjects, writeWebhookCert } from './liqo-install.ts';

export interface LiqoBringUp {
  clusters: ClusterLayout[];
  binDir: string;
  client(cluster: string): KubeRest;
  /** spawns a component of a cluster (recorded like every daemon); returns its pid */
  start(c: ClusterLayout, component: LiqoComponent): number;
  /** throws when a process has died */
  assertAlive(): void;
  log(msg: string): void;
  logFile(c: ClusterLayout, component: LiqoComponent): string;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port, timeout: 1000 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>, assertAlive: () => void, explain: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    assertAlive();
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${timeoutMs / 1000} s\n${explain()}`);
    await sleep(200);
  }
}

const liqoOf = (c: ClusterLayout) => c.liqo as NonNullable<ClusterLayout['liqo']>;

export async function startLiqo(o: LiqoBringUp): Promise<void> {
  const t0 = Date.now();
  const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const live = o.clusters.filter((c) => c.liqo);
  const rendered = await Promise.all(
    live.map(async (c) => {
      const [objs] = await Promise.all([renderStaticObjects(o.binDir, c, liqoOf(c)), writeWebhookCert(c)]);
      await applyInOrder(o.client(c.name), objs.objects);
      return objs;
    }),
  );
  o.log(`Liqo's static objects installed (${secs()}); starting the webhooks`);
  for (const c of live) o.start(c, 'liqo-webhook');
  await Promise.all(
    live.map((c) =>
      until(`${c.name}: Liqo webhook on 127.0.0.1:${c.ports.liqoWebhook}`, 120_000, () => accepts(c.ports.liqoWebhook), o.assertAlive, () => tail(o.logFile(c, 'liqo-webhook'))),
    ),
  );
  await Promise.all(live.map((c, i) => applyInOrder(o.client(c.name), rendered[i]?.webhooks ?? [])));
  for (const c of live) {
    o.start(c, 'liqo-controller-manager');
    o.start(c, 'crd-replicator');
  }
  o.log(`webhooks serving (${secs()}); waiting for the controller-managers' authentication keys`);
  await Promise.all(
    live.map((c) =>
      until(
        `${c.name}: Liqo's authentication keys`,
        90_000,
        async () => (await o.client(c.name).get('v1', 'Secret', liqoOf(c).namespace, 'authentication-keys').catch(() => undefined)) !== undefined,
        o.assertAlive,
        () => tail(o.logFile(c, 'liqo-controller-manager')),
      ),
    ),
  );
  o.log(`Liqo's control plane up on ${live.map((c) => c.name).join(', ')} (${secs()})`);
}

/** What the supervisor reads (see vk-supervisor.ts). */
export function writeSupervisorConfig(file: string, binDir: string, clusters: ClusterLayout[]): void {
  const config = { binDir, clusters: clusters.filter((c) => c.liqo).map((c) => ({ name: c.name, dir: c.dir, server: `https://127.0.0.1:${c.ports.apiserver}` })) };
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
}
