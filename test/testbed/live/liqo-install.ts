// Installs Liqo on one live cluster the way its Helm chart would, minus the pods: `helm template` of the chart
// (built with the binaries, same release), keeping only the static objects — RBAC, service accounts, the
// cluster-ID ConfigMap, the VkOptionsTemplate and the webhook configurations. Deployments, Services, Jobs and the
// APIService are dropped, because the test bed runs Liqo's processes itself. The one Deployment kept is
// liqo-controller-manager, scaled to 0: `liqoctl info` reads the installed version from it. Each webhook's
// clientConfig points at 127.0.0.1:<port> with the cluster CA as caBundle; the webhook process serves a
// certificate for 127.0.0.1 that the cluster CA signed. The chart is rendered for the layout's namespace (`helm
// template --namespace`), so its RoleBindings and the VkOptionsTemplate name `liqo-system` when Liqo lives there.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import type { ClusterLayout } from '../cluster.ts';
import { KubeError, type KubeObject, type KubeRest } from '../kube-rest.ts';
import { createLoopbackServingCert, pkiPaths } from '../pki.ts';
import { liqoFiles, type LiqoLayout } from './liqo-components.ts';

const KEPT_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ServiceAccount', 'ConfigMap', 'VkOptionsTemplate']);
const WEBHOOK_KINDS = new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding', ...WEBHOOK_KINDS]);

type Webhook = { name: string; clientConfig: { service?: { path?: string }; url?: string; caBundle?: string }; timeoutSeconds?: number };

export interface StaticObjects {
  /** everything but the webhook configurations, in apply order */
  objects: KubeObject[];
  /** applied once the webhook process serves (they are failurePolicy Fail) */
  webhooks: KubeObject[];
}

async function helmTemplate(binDir: string, c: ClusterLayout, l: LiqoLayout): Promise<string> {
  const files = liqoFiles(c);
  fs.mkdirSync(files.helmHome, { recursive: true });
  const chart = path.join(binDir, 'liqo-chart');
  if (!fs.existsSync(path.join(chart, 'Chart.yaml'))) throw new Error(`Liqo's chart is not in ${chart}: run 'bash test/testbed/build-binaries.sh --control-plane'`);
  const set = {
    tag: l.version,
    'networking.enabled': 'false',
    'discovery.config.clusterID': l.clusterId,
    'virtualKubelet.replicas': '0',
    'apiServer.address': `https://127.0.0.1:${c.ports.apiserver}`,
  };
  const argv = ['template', 'liqo', chart, '--namespace', l.namespace, ...Object.entries(set).flatMap(([k, v]) => ['--set', `${k}=${v}`])];
  try {
    const { stdout } = await execa(path.join(binDir, 'helm'), argv, {
      stdin: 'ignore',
      // helm keeps caches and settings under these; never the user's own
      env: { HELM_CACHE_HOME: files.helmHome, HELM_CONFIG_HOME: files.helmHome, HELM_DATA_HOME: files.helmHome },
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`helm template of Liqo's chart for ${c.name} failed: ${e.stderr ?? e.message}`);
  }
}

/** Renders the chart and keeps (and adapts) its static objects. */
export async function renderStaticObjects(binDir: string, c: ClusterLayout, l: LiqoLayout): Promise<StaticObjects> {
  const text = await helmTemplate(binDir, c, l);
  fs.mkdirSync(liqoFiles(c).dir, { recursive: true });
  fs.writeFileSync(liqoFiles(c).chart, text);
  const caBundle = fs.readFileSync(pkiPaths(path.join(c.dir, 'pki')).caCert).toString('base64');
  const objects: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: l.namespace } }];
  const webhooks: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    const o = doc.toJSON() as KubeObject | null;
    if (!o?.kind) continue;
    if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace ??= l.namespace;
    if (WEBHOOK_KINDS.has(o.kind)) {
      for (const w of (o.webhooks as Webhook[] | undefined) ?? []) {
        const p = w.clientConfig.service?.path ?? '';
        w.clientConfig = { url: `https://127.0.0.1:${l.webhookPort}${p}`, caBundle };
        w.timeoutSeconds = 5;
      }
      webhooks.push(o);
    } else if (KEPT_KINDS.has(o.kind)) {
      objects.push(o);
    } else if (o.kind === 'Deployment' && o.metadata.name === 'liqo-controller-manager') {
      (o.spec as { replicas: number }).replicas = 0;
      objects.push(o);
    }
  }
  if (webhooks.length === 0) throw new Error(`Liqo's chart rendered no webhook configuration for ${c.name} (see ${liqoFiles(c).chart})`);
  return { objects, webhooks };
}

/** The webhook's serving certificate, where the webhook process looks for it ($TMPDIR/k8s-webhook-server/…). */
export async function writeWebhookCert(c: ClusterLayout): Promise<void> {
  const files = liqoFiles(c);
  const made = await createLoopbackServingCert(files.webhookCerts, 'webhook', `${c.name}-liqo-webhook`, pkiPaths(path.join(c.dir, 'pki')));
  fs.renameSync(made.cert, path.join(files.webhookCerts, 'tls.crt'));
  fs.renameSync(made.key, path.join(files.webhookCerts, 'tls.key'));
}

/** Server-side apply, tried again (3 times in all) when the connection failed: an overloaded API server drops some. */
async function applyRetrying(client: KubeRest, o: KubeObject): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.apply(o, { status: false, timeoutMs: 60_000 });
      return;
    } catch (err) {
      if (err instanceof KubeError || attempt === 3) throw err;
      await sleep(1000 * attempt);
    }
  }
}

const ORDER = ['Namespace', 'ServiceAccount', 'ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding', 'ConfigMap'];

/** Applies objects kind by kind (namespaces, then accounts and roles, then the rest), each kind in parallel. */
export async function applyInOrder(client: KubeRest, objects: KubeObject[]): Promise<void> {
  const rank = (o: KubeObject) => {
    const i = ORDER.indexOf(o.kind);
    return i < 0 ? ORDER.length : i;
  };
  for (let r = 0; r <= ORDER.length; r++) {
    await Promise.all(
      objects
        .filter((o) => rank(o) === r)
        .map((o) =>
          applyRetrying(client, o).catch((err: Error) => {
            throw new Error(`installing Liqo's ${o.kind} ${o.metadata.name} on ${client.server}: ${err.message}`, { cause: err });
          }),
        ),
    );
  }
}
