// A corpus of kubeconfigs in the shapes people really have: what k3s, kind, k0s and the EKS, GKE and AKS CLIs write,
// a CRLF file, a hand-kept file full of comments, one sharing values through anchors and merge keys, one holding
// YAML 1.1 words as (quoted) strings, and one with awkward names. Every server is on loopback (127.0.0.0/8); the
// certificate data is short valid base64 (kubectl decodes it). Each file is valid for kubectl as it stands.

const CA = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJkekNDQVIyZ0F3SUJBZ0lCQURBS0JnZ3Foa2pPUFFRREFqQWpNU0V3SHdZRFZRUUREQmhyCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K';
const CERT = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJrVENDQVRlZ0F3SUJBZ0lJCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K';
const KEY = 'LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUtleQotLS0tLUVORCBFQyBQUklWQVRFIEtFWS0tLS0tCg==';

/** k3s.yaml: everything named `default`. `port` and `key` tell two k3s clusters apart. */
export function k3s(port = 6443, key = KEY, host = '127.0.0.1'): string {
  return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://${host}:${port}
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
    client-certificate-data: ${CERT}
    client-key-data: ${key}
`;
}

export const kindTwo = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://127.0.0.1:39477
  name: kind-kind
- cluster:
    certificate-authority-data: ${CA}
    server: https://127.0.0.1:41235
  name: kind-cluster-b
contexts:
- context:
    cluster: kind-kind
    user: kind-kind
  name: kind-kind
- context:
    cluster: kind-cluster-b
    namespace: liqo
    user: kind-cluster-b
  name: kind-cluster-b
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    client-certificate-data: ${CERT}
    client-key-data: ${KEY}
- name: kind-cluster-b
  user:
    client-certificate-data: ${CERT}
    client-key-data: ${KEY}
`;

export const k0s = `apiVersion: v1
clusters:
- cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${CA}
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
    client-certificate-data: ${CERT}
    client-key-data: ${KEY}
`;

export const eks = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://127.0.1.10
  name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
contexts:
- context:
    cluster: arn:aws:eks:eu-west-1:123456789012:cluster/prod
    user: arn:aws:eks:eu-west-1:123456789012:cluster/prod
  name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
current-context: arn:aws:eks:eu-west-1:123456789012:cluster/prod
kind: Config
preferences: {}
users:
- name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - --region
      - eu-west-1
      - eks
      - get-token
      - --cluster-name
      - prod
      - --output
      - json
      command: aws
      env:
      - name: AWS_PROFILE
        value: prod
      interactiveMode: IfAvailable
      provideClusterInfo: false
`;

export const gke = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://127.0.2.20
  name: gke_my-project_europe-west1-b_edge
contexts:
- context:
    cluster: gke_my-project_europe-west1-b_edge
    user: gke_my-project_europe-west1-b_edge
  name: gke_my-project_europe-west1-b_edge
current-context: gke_my-project_europe-west1-b_edge
kind: Config
preferences: {}
users:
- name: gke_my-project_europe-west1-b_edge
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: gke-gcloud-auth-plugin
      installHint: Install gke-gcloud-auth-plugin for use with kubectl by following
        the GKE documentation on cluster access for kubectl
      provideClusterInfo: true
`;

export const aks = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://127.0.3.30:443
  name: aks-prod
contexts:
- context:
    cluster: aks-prod
    namespace: "on"
    user: clusterUser_rg-prod_aks-prod
  name: aks-prod
current-context: aks-prod
kind: Config
preferences: {}
users:
- name: clusterUser_rg-prod_aks-prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - get-token
      - --environment
      - AzurePublicCloud
      - --server-id
      - 6dae42f8-4368-4678-94ff-3960e28e3630
      - --client-id
      - 80faf920-1908-4b52-b5ef-a8e7bedfc67a
      - --tenant-id
      - 72f988bf-86f1-41af-91ab-2d7cd011db47
      - --login
      - devicecode
      command: kubelogin
      env: null
      installHint: |2

        kubelogin is not installed which is required to connect to AAD enabled cluster.

        To learn more, please read the AKS documentation on kubelogin.
      provideClusterInfo: false
`;

/** A kind-like file saved on Windows: CRLF everywhere, comments, one flow mapping. */
export const crlf = [
  '# saved by an editor on Windows',
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '- name: win-a   # the first one',
  '  cluster:',
  `    certificate-authority-data: ${CA}`,
  '    server: https://127.0.0.1:16443',
  '- name: win-b',
  '  cluster: {server: "https://127.0.0.2:16443", insecure-skip-tls-verify: true}',
  'contexts:',
  '- name: win-a',
  '  context:',
  '    cluster: win-a',
  '    user: win-a',
  '- name: win-b',
  '  context: {cluster: win-b, user: win-b, namespace: dev}',
  'current-context: win-b',
  'users:',
  '- name: win-a',
  '  user:',
  `    client-certificate-data: ${CERT}`,
  `    client-key-data: ${KEY}`,
  '- name: win-b',
  '  user: {token: dG9rZW4tYg==}',
  '',
].join('\r\n');

export const commented = `# Managed by hand. Do not regenerate.
apiVersion: v1
kind: Config
x-team-notes: {owner: platform, ticket: "OPS-1234"}   # unknown field, keep
preferences: {}

clusters:
  # the lab cluster, through the tunnel
  - name: 'lab'
    cluster:
      server: "https://127.0.0.5:6443"   # node IP
      certificate-authority-data: ${CA}
      extensions:
        - name: liqo.io/meta
          extension: {region: center}

  # a second one
  - name: edge
    cluster: {server: 'https://127.0.0.6:6443', certificate-authority-data: ${CA}}

contexts:
  - name: lab
    context:
      cluster: lab
      user: lab-admin
      namespace: liqo   # default namespace
  - name: lab-readonly   # shares the cluster
    context:
      cluster: lab
      user: viewer
  - name: edge
    context: {cluster: edge, user: edge}
current-context: lab   # keep
users:
  - name: lab-admin
    user:
      client-certificate-data: ${CERT}
      client-key-data: ${KEY}
  - name: viewer
    user:
      token: c2VjcmV0LXRva2Vu   # rotated monthly
  - name: edge
    user: {token: ZWRnZQ==}
# end of file`;

export const anchors = `apiVersion: v1
kind: Config
clusters:
- name: blue
  cluster: &base
    certificate-authority-data: &ca ${CA}
    server: https://127.0.0.7:6443
- name: green
  cluster: *base
- name: canary
  cluster:
    <<: *base
    tls-server-name: kubernetes
- name: side
  cluster:
    server: https://127.0.0.8:6443
    certificate-authority-data: *ca
contexts:
- name: blue
  context: &ctx {cluster: blue, user: ops}
- name: green
  context: {cluster: green, user: ops}
- name: canary
  context: {cluster: canary, user: ops, namespace: canary}
- name: side
  context: {cluster: side, user: side}
current-context: blue
users:
- name: ops
  user: &cred
    client-certificate-data: ${CERT}
    client-key-data: ${KEY}
- name: side
  user: *cred
`;

export const yaml11Words = `apiVersion: v1
kind: Config
clusters:
- name: "on"
  cluster:
    server: https://127.0.0.9:6443
    certificate-authority-data: ${CA}
- name: "0b101"
  cluster: {server: "https://127.0.0.10:6443"}
contexts:
- name: "yes"
  context:
    cluster: "on"
    user: "no"
    namespace: "off"
- name: "0b101"
  context: {cluster: "0b101", user: "~", namespace: "1:20"}
current-context: "yes"
users:
- name: "no"
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: ["get-token", "--login", "y", "--retries", "0x1F"]
      env:
      - name: USE_CLI
        value: "yes"
      - name: SINCE
        value: "2001-12-14"
- name: "~"
  user: {token: "null"}
`;

export const awkward = `apiVersion: v1
kind: Config
clusters:
- name: "team a / prod #1"
  cluster: {server: "https://127.0.0.11:6443"}
- name: 'it''s: quoted'
  cluster: {server: "https://127.0.0.12:6443"}
- name: "héllo wörld"
  cluster: {server: "https://127.0.0.13:6443"}
contexts:
- name: "team a / prod #1"
  context: {cluster: "team a / prod #1", user: "admin@team-a"}
- name: 'it''s: quoted'
  context: {cluster: 'it''s: quoted', user: "- dash"}
- name: "héllo wörld"
  context: {cluster: "héllo wörld", user: "admin@team-a", namespace: "ns-ü"}
current-context: "team a / prod #1"
users:
- name: "admin@team-a"
  user: {token: YWRtaW4=}
- name: "- dash"
  user: {username: "[user]", password: "p: w#d"}
`;

export const CORPUS: Readonly<Record<string, string>> = {
  k3s: k3s(),
  k3sSecond: k3s(6444, 'S0VZLTItTEFURVI=', '127.0.0.2'),
  kind: kindTwo,
  k0s,
  eks,
  gke,
  aks,
  crlf,
  commented,
  anchors,
  yaml11Words,
  awkward,
};
