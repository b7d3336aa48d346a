// The watches of one cluster's other federation systems (Admiralty, KubeFed, Istio multicluster). Discovery is
// three small watches, kept open so a system installed or removed later shows up: the CRD that marks Admiralty
// and the one that marks KubeFed (each watched by name, as Liqo's is: a missing CRD is an empty list, not a 404),
// and istiod's Deployments (by label, cluster-wide). Only a system found gets the watches of its objects, so a
// cluster without it makes no other request and no request that fails. Secrets are reduced as they are cached:
// a Target's kubeconfig to its server and CA, an Istio remote secret to its clusters' servers and CAs.
import type { ConfigMap, Deployment, KubeObject, Namespace, Node, Pod } from '../../core/liqo/objects.ts';
import { cachedPod } from '../../core/liqo/cachedObjects.ts';
import type { KindState } from '../../core/liqo/snapshot.ts';
import { decodeTarget, delegateParent, LABEL_PARENT_UID, PROXY_SCHEDULER, type AdmiraltyTargetObject } from '../../core/systems/admiralty.ts';
import { decodeRemoteSecret, ISTIOD_SELECTOR, REMOTE_SECRET_SELECTOR, type RemoteSecret, type SecretObject } from '../../core/systems/istio.ts';
import { admiraltyView, istioView, kubeFedView, MARKER_CRDS, summarizeKubeconfigSecret, type KubeconfigSecretSummary, type SystemsSnapshot } from '../../core/systems/snapshot.ts';
import type { FederatedObject, KubeFedClusterObject } from '../../core/systems/kubefed.ts';
import { ResourceWatch, DEFAULT_BACKOFF, type BackoffOptions, type WatchSource, type WatchSpec } from '../cluster/resourceWatch.ts';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const ADM = '/apis/multicluster.admiralty.io/v1alpha1';
const KF = '/apis/core.kubefed.io/v1beta1';

/** A CRD as discovery keeps it: its name only (presence is all that is read). */
const nameOnly = (o: KubeObject): KubeObject => ({ metadata: { name: o.metadata.name, ...(o.metadata.resourceVersion ? { resourceVersion: o.metadata.resourceVersion } : {}) } });

interface RemoteSecretCached extends KubeObject {
  readonly remote: RemoteSecret;
}

const keepRemoteSecret = (o: KubeObject): KubeObject => {
  const remote = decodeRemoteSecret(o as SecretObject);
  const { name, namespace, uid, resourceVersion } = o.metadata;
  return { metadata: { name, ...(namespace ? { namespace } : {}), ...(uid ? { uid } : {}), ...(resourceVersion ? { resourceVersion } : {}) }, remote } as RemoteSecretCached;
};

interface FederatedTypeConfig extends KubeObject {
  readonly spec?: { readonly federatedType?: { readonly group?: string; readonly version?: string; readonly pluralName?: string } };
}

export class SystemsWatches {
  private readonly watches = new Map<string, ResourceWatch>();
  private readonly source: WatchSource;
  private readonly onChange: () => void;
  private readonly backoff: BackoffOptions;
  private readonly debounceMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(source: WatchSource, onChange: () => void, opts: { backoff?: BackoffOptions; debounceMs?: number } = {}) {
    this.source = source;
    this.onChange = onChange;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.debounceMs = opts.debounceMs ?? 25;
  }

  start(): void {
    this.running = true;
    this.reconcile();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    for (const w of this.watches.values()) w.stop();
    this.watches.clear();
  }

  /** The paths watched now (tests check that an absent system costs nothing more than discovery). */
  get watchedPaths(): string[] {
    return [...this.watches.values()].map((w) => w.path).sort();
  }

  /** LIST and WATCH requests issued so far by the watches open now. */
  get requests(): number {
    return [...this.watches.values()].reduce((n, w) => n + w.lists + w.watches, 0);
  }

  /** Watches in a state other than ready or loading (403, error, 404 of a type that vanished). */
  get problems(): { path: string; state: KindState }[] {
    return [...this.watches.values()].filter((w) => w.state.kind !== 'ready' && w.state.kind !== 'loading').map((w) => ({ path: w.path, state: w.state }));
  }

  /** True once every open watch has answered its first LIST. */
  get settled(): boolean {
    return [...this.watches.values()].every((w) => w.state.kind !== 'loading');
  }

  snapshot(): SystemsSnapshot {
    const list = <T extends KubeObject>(key: string): T[] => [...(this.watches.get(key)?.objects.values() ?? [])] as T[];
    const out: { -readonly [K in keyof SystemsSnapshot]: SystemsSnapshot[K] } = {};
    if (this.present('admiralty')) {
      out.admiralty = admiraltyView({
        targets: list('adm:targets'),
        clusterTargets: list('adm:clustertargets'),
        sources: list('adm:sources'),
        clusterSources: list('adm:clustersources'),
        nodes: list<Node>('adm:nodes'),
        proxyPods: list<Pod>('adm:proxies'),
        delegatePods: list<Pod>('adm:delegates').filter((p) => delegateParent(p) !== undefined),
        secrets: [...this.watches.entries()].filter(([k]) => k.startsWith('adm:secret:')).flatMap(([, w]) => [...w.objects.values()] as KubeconfigSecretSummary[]),
      });
    }
    if (this.present('kubefed')) {
      const federated = [...this.watches.entries()].filter(([k]) => k.startsWith('kf:type:')).flatMap(([, w]) => [...w.objects.values()] as FederatedObject[]);
      out.kubefed = kubeFedView(list<KubeFedClusterObject>('kf:clusters'), federated);
    }
    const istioNs = this.istioNamespace();
    if (istioNs !== undefined) {
      const deployments = list<Deployment>('istio:istiod').filter((d) => d.metadata.namespace === istioNs);
      out.istio = istioView(istioNs, deployments, list<ConfigMap>('istio:mesh')[0], list<Namespace>('istio:ns')[0], list<RemoteSecretCached>('istio:secrets').map((s) => s.remote));
    }
    return out;
  }

  private present(system: 'admiralty' | 'kubefed'): boolean {
    return (this.watches.get(`crd:${system}`)?.objects.size ?? 0) > 0;
  }

  /** The namespace istiod runs in (the first found; `istio-system` by default). */
  private istioNamespace(): string | undefined {
    const namespaces = [...(this.watches.get('istio:istiod')?.objects.values() ?? [])].map((d) => d.metadata.namespace ?? '').sort();
    return namespaces.includes('istio-system') ? 'istio-system' : namespaces[0];
  }

  private desired(): Map<string, WatchSpec> {
    const want = new Map<string, WatchSpec>();
    want.set('crd:admiralty', { path: CRDS, fieldSelector: `metadata.name=${MARKER_CRDS.admiralty}`, keep: nameOnly });
    want.set('crd:kubefed', { path: CRDS, fieldSelector: `metadata.name=${MARKER_CRDS.kubefed}`, keep: nameOnly });
    want.set('istio:istiod', { path: '/apis/apps/v1/deployments', labelSelector: ISTIOD_SELECTOR });
    if (this.present('admiralty')) {
      want.set('adm:targets', { path: `${ADM}/targets` });
      want.set('adm:clustertargets', { path: `${ADM}/clustertargets` });
      want.set('adm:sources', { path: `${ADM}/sources` });
      want.set('adm:clustersources', { path: `${ADM}/clustersources` });
      want.set('adm:nodes', { path: '/api/v1/nodes', labelSelector: 'virtual-kubelet.io/provider=admiralty' });
      want.set('adm:proxies', { path: '/api/v1/pods', fieldSelector: `spec.schedulerName=${PROXY_SCHEDULER}`, keep: cachedPod });
      // delegates, whatever scheduler they got (no-reservation keeps the target's own): by the remote parent label
      want.set('adm:delegates', { path: '/api/v1/pods', labelSelector: LABEL_PARENT_UID, keep: (o) => ({ ...cachedPod(o), metadata: { ...cachedPod(o).metadata, annotations: o.metadata.annotations ?? {} } }) });
      const targets = [
        ...[...(this.watches.get('adm:targets')?.objects.values() ?? [])].map((t) => decodeTarget(t as AdmiraltyTargetObject, 'Target')),
        ...[...(this.watches.get('adm:clustertargets')?.objects.values() ?? [])].map((t) => decodeTarget(t as AdmiraltyTargetObject, 'ClusterTarget')),
      ];
      for (const t of targets) {
        if (!t.secret) continue;
        want.set(`adm:secret:${t.secret.namespace}/${t.secret.name}`, { path: `/api/v1/namespaces/${t.secret.namespace}/secrets`, fieldSelector: `metadata.name=${t.secret.name}`, keep: (o) => summarizeKubeconfigSecret(o) });
      }
    }
    if (this.present('kubefed')) {
      want.set('kf:clusters', { path: `${KF}/kubefedclusters` });
      want.set('kf:typeconfigs', { path: `${KF}/federatedtypeconfigs` });
      for (const ftc of (this.watches.get('kf:typeconfigs')?.objects.values() ?? []) as Iterable<FederatedTypeConfig>) {
        const t = ftc.spec?.federatedType;
        if (t?.group && t.version && t.pluralName) want.set(`kf:type:${t.group}/${t.pluralName}`, { path: `/apis/${t.group}/${t.version}/${t.pluralName}` });
      }
    }
    const ns = this.istioNamespace();
    if (ns !== undefined) {
      want.set('istio:secrets', { path: `/api/v1/namespaces/${ns}/secrets`, labelSelector: REMOTE_SECRET_SELECTOR, keep: keepRemoteSecret });
      want.set('istio:mesh', { path: `/api/v1/namespaces/${ns}/configmaps`, fieldSelector: 'metadata.name=istio' });
      want.set('istio:ns', { path: '/api/v1/namespaces', fieldSelector: `metadata.name=${ns}` });
    }
    return want;
  }

  /** Opens the watches the current knowledge asks for and closes the others (a system removed, a target gone). */
  private reconcile(): void {
    if (!this.running) return;
    const want = this.desired();
    for (const [key, w] of this.watches) {
      const spec = want.get(key);
      if (!spec || spec.path !== w.path) {
        w.stop();
        this.watches.delete(key);
      }
    }
    for (const [key, spec] of want) {
      if (this.watches.has(key)) continue;
      const w = new ResourceWatch(this.source, spec, () => this.changed(), this.backoff);
      this.watches.set(key, w);
      w.start();
    }
  }

  private changed(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.reconcile();
      this.onChange();
    }, this.debounceMs);
  }
}

