// Real-world kubeconfig shapes for the edit tests: what k3s, kind, k0s and cloud CLIs write, and a hand-kept file
// with comments, anchors and extensions. Certificates are short placeholders: the edits never look inside them.

export const k3sDefault = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJkekNDQVIyZ0F3SUJBZ0lCQURBS0JnZ3Foa2pPUFFRREFqQWpNU0V3SHdZRFZRUUREQmhyTTNNdGMyVnkKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJrVENDQVRlZ0F3SUJBZ0lJYzJ0cwotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==
    client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUtleQotLS0tLUVORCBFQyBQUklWQVRFIEtFWS0tLS0tCg==
`;

export const kind = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNBCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K
    server: https://127.0.0.1:39477
  name: kind-mlops-platform
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNCCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K
    server: https://127.0.0.1:41235
  name: kind-cluster-b
contexts:
- context:
    cluster: kind-mlops-platform
    user: kind-mlops-platform
  name: kind-mlops-platform
- context:
    cluster: kind-cluster-b
    namespace: liqo
    user: kind-cluster-b
  name: kind-cluster-b
current-context: kind-mlops-platform
kind: Config
users:
- name: kind-mlops-platform
  user:
    client-certificate-data: Q0VSVC1B
    client-key-data: S0VZLUE=
- name: kind-cluster-b
  user:
    client-certificate-data: Q0VSVC1C
    client-key-data: S0VZLUI=
`;

export const k0sAdmin = `apiVersion: v1
clusters:
- cluster:
    server: https://localhost:6443
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmswcwotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==
  name: local
contexts:
- context:
    cluster: local
    namespace: default
    user: user
  name: Default
current-context: Default
kind: Config
preferences: {}
users:
- name: user
  user:
    client-certificate-data: Q0VSVC1LMFM=
    client-key-data: S0VZLUswUw==
`;

export const execCloud = `apiVersion: v1
kind: Config
clusters:
- name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
  cluster:
    server: "https://127.0.1.10"
    certificate-authority-data: 'Q0EtRUtT'
    extensions:
    - name: client.authentication.k8s.io/exec
      extension:
        audience: sts.amazonaws.com
contexts:
- name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
  context:
    cluster: arn:aws:eks:eu-west-1:123456789012:cluster/prod
    user: arn:aws:eks:eu-west-1:123456789012:cluster/prod
- name: gke_proj_europe-west1_edge
  context: {cluster: gke_proj_europe-west1_edge, user: gke_proj_europe-west1_edge}
clusters-comment: not a real field, kept as is
users:
- name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [--region, eu-west-1, eks, get-token, --cluster-name, prod]
      env:
      - {name: AWS_PROFILE, value: prod}
      interactiveMode: IfAvailable
      provideClusterInfo: false
- name: gke_proj_europe-west1_edge
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: gke-gcloud-auth-plugin, installHint: "Install gke-gcloud-auth-plugin", provideClusterInfo: true}
`;

// Comments everywhere, anchors shared by two users, quoting styles, flow maps, an unknown top-level field and an
// extension on a context, CRLF-free but with a trailing comment and no final newline.
export const handKept = `# Managed by hand. Do not regenerate.
apiVersion: v1
kind: Config
x-team-notes: {owner: platform, ticket: "OPS-1234"}   # unknown field, keep
preferences: {}
clusters:
  # the lab cluster behind the jump host
  - name: 'lab'
    cluster:
      server: "https://127.0.0.5:6443"   # node IP
      certificate-authority-data: &labca Q0EtTEFC
      extensions:
        - name: liqo.io/meta
          extension: {region: center}
  - name: edge
    cluster: {server: https://127.0.0.6:6443, certificate-authority-data: *labca}
contexts:
  - name: lab
    context: &labctx
      cluster: lab
      user: lab-admin
      namespace: liqo   # default namespace
  - name: lab-readonly
    context:
      cluster: lab
      user: viewer
  - name: edge
    context: {cluster: edge, user: edge}
current-context: lab
users:
  - name: lab-admin
    user: &adminuser
      client-certificate-data: Q0VSVA==
      client-key-data: S0VZ
  - name: viewer
    user:
      token: c2VjcmV0LXRva2Vu
  - name: edge
    user: *adminuser
# end of file`;

/** A file holding `n` contexts, each with its own cluster and user, in kubectl's layout. */
export function manyContexts(n: number): string {
  const clusters: string[] = [];
  const contexts: string[] = [];
  const users: string[] = [];
  for (let i = 0; i < n; i++) {
    clusters.push(`- cluster:\n    certificate-authority-data: Q0Et${i}\n    server: https://127.${i >> 8}.${i & 255}.1:6443\n  name: c${i}`);
    contexts.push(`- context:\n    cluster: c${i}\n    user: u${i}\n  name: ctx-${i}`);
    users.push(`- name: u${i}\n  user:\n    token: dG9rZW4t${i}`);
  }
  return `apiVersion: v1\nclusters:\n${clusters.join('\n')}\ncontexts:\n${contexts.join('\n')}\ncurrent-context: ctx-0\nkind: Config\nusers:\n${users.join('\n')}\n`;
}
