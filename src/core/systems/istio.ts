// Istio multicluster as the explorer reads it, from objects of istiod's namespace: istiod's Deployment (running,
// version from its image tag), the mesh config (mesh ID), the namespace's network label, and the remote secrets
// (Secrets labelled istio/multiCluster=true, one kubeconfig per key: the API servers this control plane reads).
// A remote secret is reduced at once to its cluster names, servers and CA fingerprints: its token or client key
// never leaves this module.
import { parse as parseYaml } from 'yaml';
import type { Deployment, KubeObject, Namespace } from '../liqo/objects.ts';
import { endpointOfKubeconfig, secretValue, type Endpoint } from './endpoint.ts';

export const ISTIO_NAMESPACE = 'istio-system';
/** pkg/kube/multicluster/secretcontroller.go MultiClusterSecretLabel */
export const MULTICLUSTER_SECRET_LABEL = 'istio/multiCluster';
export const REMOTE_SECRET_SELECTOR = `${MULTICLUSTER_SECRET_LABEL}=true`;
export const ISTIOD_SELECTOR = 'app=istiod';
const CLUSTER_ANNOTATION = 'networking.istio.io/cluster';
const NETWORK_LABEL = 'topology.istio.io/network';

export interface SecretObject extends KubeObject {
  readonly data?: Readonly<Record<string, string>>;
}

/** What the explorer keeps of a remote secret (a cluster per data key). */
export interface RemoteSecret {
  readonly namespace: string;
  readonly name: string;
  readonly clusters: readonly RemoteCluster[];
}

export type RemoteCluster = { readonly clusterName: string; readonly endpoint: Endpoint } | { readonly clusterName: string; readonly problem: string };

/** Reads the servers and CAs out of a remote secret; nothing else of its kubeconfigs is kept. */
export function decodeRemoteSecret(secret: SecretObject): RemoteSecret {
  const keys = Object.keys(secret.data ?? {}).sort();
  return {
    namespace: secret.metadata.namespace ?? '',
    name: secret.metadata.name,
    clusters: keys.map((clusterName): RemoteCluster => {
      const text = secretValue(secret, clusterName) ?? '';
      const r = endpointOfKubeconfig(text);
      return r.ok ? { clusterName, endpoint: r.endpoint } : { clusterName, problem: r.problem };
    }),
  };
}

/** The cluster name istioctl recorded (annotation), or the secret's only key. */
export function remoteSecretClusterName(secret: SecretObject): string | undefined {
  return secret.metadata.annotations?.[CLUSTER_ANNOTATION] ?? (Object.keys(secret.data ?? {}).length === 1 ? Object.keys(secret.data ?? {})[0] : undefined);
}

export interface IstiodView {
  readonly name: string;
  readonly running: boolean;
  readonly ready: string;
  /** the pilot image's tag, e.g. 1.24.2 */
  readonly version?: string;
  readonly revision?: string;
}

export function decodeIstiod(d: Deployment): IstiodView {
  const want = d.spec?.replicas ?? 1;
  const ready = d.status?.readyReplicas ?? 0;
  const image = d.spec?.template?.spec?.containers?.find((c) => c.name === 'discovery')?.image ?? d.spec?.template?.spec?.containers?.[0]?.image;
  const tag = image && /:([^:/@]+)(@.*)?$/.exec(image)?.[1];
  const revision = d.metadata.labels?.['istio.io/rev'];
  return { name: d.metadata.name, running: ready > 0, ready: `${ready}/${want}`, ...(tag ? { version: tag } : {}), ...(revision ? { revision } : {}) };
}

/** `meshConfig.defaultConfig.meshId` from ConfigMap `istio` (key `mesh`), if set. */
export function meshIdOf(configMap: { readonly data?: Readonly<Record<string, string>> } | undefined): string | undefined {
  const text = configMap?.data?.mesh;
  if (!text) return undefined;
  try {
    const mesh = parseYaml(text) as { defaultConfig?: { meshId?: unknown } } | null;
    const id = mesh?.defaultConfig?.meshId;
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

export function networkOf(ns: Namespace | undefined): string | undefined {
  return ns?.metadata.labels?.[NETWORK_LABEL];
}
