// Federations as the model shows them (ClusterFacts per context), for the known-good record, drift and plan tests:
// a consumer `a` peered with providers `b` and `c`, one namespace offloaded to `b` only. Plain data, no fake I/O.
import type { ClusterFacts } from '../../src/core/federation/knownGood.ts';
import { emptySnapshot, type ClusterSnapshot } from '../../src/core/liqo/snapshot.ts';
import type { ForeignCluster, NamespaceOffloading, ResourceSlice } from '../../src/core/liqo/objects.ts';

export const CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBfzCCASWgAwIBAgIUV8zDQjWIRLF5BLAbUZ+b9AoPDgswCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKa2ctdGVzdC1jYTAeFw0yNjEyMDYxMjI3MTBaFw0zNjEyMDMx
MjI3MTBaMBUxEzARBgNVBAMMCmtnLXRlc3QtY2EwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQ+l0zZci+dvFWGLezROKC2DeBLscHwuxMNk3S7EB4HtXvCWki3gQhc
CIsT1StP4qvgsU1HCKHrc4vrX/0fWemyo1MwUTAdBgNVHQ4EFgQUO/Fy7pLT/5dt
RSp/2AkF2fZBGBwwHwYDVR0jBBgwFoAUO/Fy7pLT/5dtRSp/2AkF2fZBGBwwDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAjTRZmeRtaE7CeOaYg0Pz
1zbWUiro8KXN9Y7fSqAYb1ACIAWWh2Q9omWZKbu06a7g7jFJWH62kg6rXAONskUh
iXjf
-----END CERTIFICATE-----
`;
/** What `openssl x509 -noout -fingerprint -sha256` printed for CA_PEM. */
export const CA_SHA256 = '57:0F:A5:66:67:F6:D0:6E:EF:13:94:1E:40:7B:5F:D1:A1:79:E4:33:64:E5:2E:C8:F7:05:35:89:4C:C9:1F:67';

const ok = [{ type: 'X', status: 'Established' as const }];

export function foreignCluster(peer: string, role: 'Provider' | 'Consumer', health: 'Established' | 'Error' = 'Established', networking = true): ForeignCluster {
  return {
    metadata: { name: peer, labels: { 'liqo.io/remote-cluster-id': peer } },
    spec: { clusterID: peer },
    status: {
      role,
      modules: {
        networking: { enabled: networking, conditions: networking ? [{ type: 'NetworkConnectionStatus', status: health }] : [] },
        authentication: { enabled: true, conditions: ok },
        offloading: { enabled: role === 'Provider', conditions: role === 'Provider' ? ok : [] },
      },
      tenantNamespace: { local: `liqo-tenant-${peer}` },
    },
  };
}

export function slice(name: string, consumer: string, provider: string, resources: Record<string, string>): ResourceSlice {
  return { metadata: { name, namespace: `liqo-tenant-${provider}` }, spec: { consumerClusterID: consumer, providerClusterID: provider, class: 'default', resources } };
}

export function offloading(ns: string, pod: 'Local' | 'Remote' | 'LocalAndRemote', selectorValues: string[], phase = 'Ready'): NamespaceOffloading {
  return {
    metadata: { name: 'offloading', namespace: ns },
    spec: {
      podOffloadingStrategy: pod,
      namespaceMappingStrategy: 'DefaultName',
      clusterSelector: selectorValues.length ? { nodeSelectorTerms: [{ matchExpressions: [{ key: 'liqo.io/remote-cluster-id', operator: 'In', values: selectorValues }] }] } : { nodeSelectorTerms: [] },
    },
    status: { offloadingPhase: phase as 'Ready' },
  };
}

export function snapshot(parts: Partial<ClusterSnapshot>): ClusterSnapshot {
  return { ...emptySnapshot(), ...parts };
}

export interface FedOptions {
  readonly bHealth?: 'Established' | 'Error';
  readonly offloadPhase?: string;
  readonly bUnreachable?: boolean;
}

/** Contexts kind-a, kind-b, kind-c (cluster IDs a, b, c); a consumes from b and c. */
export function threeClusters(o: FedOptions = {}): ClusterFacts[] {
  const a: ClusterFacts = {
    entry: { contextName: 'kind-a', server: 'https://127.0.0.1:6443', tlsServerName: 'a.local' },
    caSha256: [CA_SHA256],
    kubernetesVersion: 'v1.30.2',
    liqo: { presence: 'installed', clusterId: 'a', version: 'v1.0.1', namespace: 'liqo', unhealthyPods: [] },
    gatewayTypes: { b: 'NodePort', c: 'NodePort' },
    snapshot: snapshot({
      foreignClusters: [foreignCluster('b', 'Provider', o.bHealth), foreignCluster('c', 'Provider')],
      resourceSlices: [slice('b', 'a', 'b', { cpu: '4', memory: '8Gi', pods: '110' }), slice('c', 'a', 'c', { cpu: '2' })],
      offloadings: [offloading('demo', 'Remote', ['b'], o.offloadPhase)],
    }),
  };
  const b: ClusterFacts = {
    entry: { contextName: 'kind-b', server: 'https://127.0.0.2:6443' },
    ...(o.bUnreachable ? {} : { kubernetesVersion: 'v1.30.2' }),
    liqo: { presence: 'installed', clusterId: 'b', version: 'v1.0.1', namespace: 'liqo', unhealthyPods: [] },
    snapshot: snapshot({ foreignClusters: [foreignCluster('a', 'Consumer')], resourceSlices: [slice('b', 'a', 'b', { cpu: '4', memory: '8Gi', pods: '110' })] }),
  };
  const c: ClusterFacts = {
    entry: { contextName: 'kind-c', server: 'https://127.0.0.3:6443' },
    kubernetesVersion: 'v1.31.0',
    liqo: { presence: 'installed', clusterId: 'c', version: 'v1.0.1', namespace: 'liqo-system', unhealthyPods: [] },
    snapshot: snapshot({ foreignClusters: [foreignCluster('a', 'Consumer')] }),
  };
  return [a, b, c];
}
