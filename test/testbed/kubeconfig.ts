// The user-facing kubeconfig (.testbed/kubeconfig): one context per cluster, named after the cluster, with the
// cluster's CA and the admin client certificate embedded, so TLS is verified for real and the file can be
// copied anywhere.
import fs from 'node:fs';
import { stringify } from 'yaml';
import { clusterFiles, serverUrl, type ClusterLayout } from './cluster.ts';

const b64 = (file: string) => fs.readFileSync(file).toString('base64');

function entries(c: ClusterLayout) {
  const pki = clusterFiles(c.dir).pki;
  return {
    cluster: { name: c.name, cluster: { server: serverUrl(c), 'certificate-authority-data': b64(pki.caCert) } },
    user: { name: c.name, user: { 'client-certificate-data': b64(pki.adminCert), 'client-key-data': b64(pki.adminKey) } },
    context: { name: c.name, context: { cluster: c.name, user: c.name } },
  };
}

export function renderKubeconfig(clusters: ClusterLayout[]): string {
  const all = clusters.map(entries);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: all.map((e) => e.cluster),
    users: all.map((e) => e.user),
    contexts: all.map((e) => e.context),
    'current-context': clusters[0]?.name ?? '',
  });
}
