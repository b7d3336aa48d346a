// Istio multicluster's objects (no CRD: a remote secret is a Secret, istiod a Deployment), shaped as istioctl and
// the Helm charts write them (istio/istio; see test/testbed/crds/istio/SOURCE).
import { stringify } from 'yaml';
import type { Obj } from './common.ts';

export const ISTIO_NS = 'istio-system';
/** pkg/kube/multicluster/secretcontroller.go MultiClusterSecretLabel */
export const MULTICLUSTER_LABEL = 'istio/multiCluster';
export const CLUSTER_ANNOTATION = 'networking.istio.io/cluster';
export const ISTIO_VERSION = '1.24.2';

/** istio-system, labelled with the network as the multicluster install docs do (`topology.istio.io/network`). */
export function istioNamespace(network: string): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ISTIO_NS, labels: { 'topology.istio.io/network': network } } };
}

/** The mesh config (manifests/charts/istio-control/istio-discovery/templates/configmap.yaml: ConfigMap `istio`, key `mesh`). */
export function meshConfig(meshId: string): Obj {
  const mesh = { defaultConfig: { discoveryAddress: 'istiod.istio-system.svc:15012', meshId, proxyMetadata: {} }, enablePrometheusMerge: true, rootNamespace: ISTIO_NS, trustDomain: 'cluster.local' };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'istio', namespace: ISTIO_NS, labels: { app: 'istiod', 'istio.io/rev': 'default', release: 'istiod' } },
    data: { mesh: stringify(mesh), meshNetworks: 'networks: {}' },
  };
}

/** istiod's Deployment (istio-discovery chart: labels app=istiod, istio=pilot, istio.io/rev; env CLUSTER_ID). */
export function istiodDeployment(clusterName: string): Obj {
  const labels = { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'istiod', namespace: ISTIO_NS, labels: { ...labels, 'operator.istio.io/version': ISTIO_VERSION, release: 'istiod' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { istio: 'pilot' } },
      template: {
        metadata: { labels: { ...labels, 'sidecar.istio.io/inject': 'false' } },
        spec: {
          containers: [
            {
              name: 'discovery',
              image: `docker.io/istio/pilot:${ISTIO_VERSION}`,
              args: ['discovery', '--monitoringAddr=:15014', '--log_output_level=default:info', '--domain', 'cluster.local', '--keepaliveMaxServerConnectionAge', '30m'],
              env: [
                { name: 'CLUSTER_ID', value: clusterName },
                { name: 'REVISION', value: 'default' },
              ],
            },
          ],
        },
      },
    },
  };
}

/**
 * The remote secret `istioctl create-remote-secret --name <cluster>` prints (istioctl/pkg/multicluster/remote_secret.go
 * createRemoteServiceAccountSecret): name istio-remote-secret-<cluster>, the multicluster label, the cluster
 * annotation, one key <cluster> holding a kubeconfig with the server, its CA and the reader service account's token.
 */
export function remoteSecret(clusterName: string, server: string, caData: string, token: string): Obj {
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { server, 'certificate-authority-data': caData } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    'current-context': clusterName,
    preferences: {},
    users: [{ name: clusterName, user: { token } }],
  };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `istio-remote-secret-${clusterName}`, namespace: ISTIO_NS, labels: { [MULTICLUSTER_LABEL]: 'true' }, annotations: { [CLUSTER_ANNOTATION]: clusterName } },
    type: 'Opaque',
    stringData: { [clusterName]: stringify(kubeconfig) },
  };
}
