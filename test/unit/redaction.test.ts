// Reveal in YAML's redaction on the shapes people really deploy: a Hugging Face inference Deployment, a web app with
// DATABASE_URL, a `kubectl apply`-ed Secret, controllers given tokens in args, Liqo's own objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCredentialName, redactArgs, redactText } from '../../src/core/redaction/credentialText.ts';
import { redactObject } from '../../src/core/redaction/redactObject.ts';
import { objectYaml } from '../../src/core/liqo/objectYaml.ts';
import type { KubeObject } from '../../src/core/liqo/objects.ts';

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IkRfM2FfVGVzdCJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwic3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50OmxpcW86ZGVmYXVsdCJ9.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtbm90LXJlYWw';

test('credential names: env vars, flags and fields, but not references to them', () => {
  for (const n of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'DB_PASSWORD', 'PGPASSWORD', 'POSTGRES_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'awsSecretAccessKey', 'client_secret', 'OPENAI_API_KEY', 'api-key', 'token', 'password', 'SENTRY_DSN', 'privateKey', 'client-key-data', 'GITHUB_TOKEN', 'REDIS_PASS_WORD_SECRET']) {
    assert.ok(isCredentialName(n), n);
  }
  for (const n of ['HF_TOKEN_FILE', 'secretName', 'secretKeyRef', 'configMapKeyRef', 'key', 'PWD', 'DATABASE_URL', 'MODEL_ID', 'LOG_LEVEL', 'tokenExpirationSeconds', 'ca', 'signedCRT', 'monkey', 'KEYCLOAK_REALM_NAME', 'automountServiceAccountToken_enabled']) {
    assert.ok(!isCredentialName(n), n);
  }
});

test('credential-looking text: URL passwords, pairs, bearer tokens, JWTs, known token formats', () => {
  assert.equal(redactText('postgres://app:s3cr3t-P4ss@db.analytics:5432/reports?sslmode=require'), 'postgres://app:<redacted>@db.analytics:5432/reports?sslmode=require');
  assert.equal(redactText('redis://:hunter2@redis:6379/0'), 'redis://:<redacted>@redis:6379/0');
  assert.equal(redactText('connecting to https://registry.example.com/v2/'), 'connecting to https://registry.example.com/v2/', 'no userinfo, unchanged');
  assert.equal(redactText('host=db user=app password=s3cret dbname=x'), 'host=db user=app password=<redacted> dbname=x');
  assert.equal(redactText('https://api.example.com/hook?access_token=abc123&x=1'), 'https://api.example.com/hook?access_token=<redacted>&x=1');
  assert.equal(redactText(`Authorization: Bearer ${JWT}`), 'Authorization: Bearer <redacted>');
  assert.equal(redactText('curl -H "Authorization: Bearer 0a1b2c3d4e5f"'), 'curl -H "Authorization: Bearer <redacted>"');
  assert.equal(redactText('Basic authentication is disabled'), 'Basic authentication is disabled', 'a word after Basic is not a token');
  assert.equal(redactText(`token ${JWT} expires`), 'token <redacted> expires');
  assert.equal(redactText('HF: hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345'), 'HF: <redacted>');
  assert.equal(redactText('ghp_0123456789abcdefghijABCDEFGHIJ0123'), '<redacted>');
  assert.equal(redactText('key AKIAIOSFODNN7EXAMPLE for s3'), 'key <redacted> for s3');
  assert.equal(redactText('--token-file=/var/run/secrets/token'), '--token-file=/var/run/secrets/token', 'a path to a token is not the token');
  assert.equal(redactText('Epoch 1/3 step 100/1563 loss=0.6900'), 'Epoch 1/3 step 100/1563 loss=0.6900');
});

test('argv: --flag value pairs and --flag=value forms', () => {
  assert.deepEqual(redactArgs(['--cluster-id=$(CLUSTER_ID)', '--token', 'abc.def', '--password=hunter2', '--verbose', '--api-key', 'k-123']), [
    '--cluster-id=$(CLUSTER_ID)',
    '--token',
    '<redacted>',
    '--password=<redacted>',
    '--verbose',
    '--api-key',
    '<redacted>',
  ]);
  assert.deepEqual(redactArgs(['sh', '-c', `curl -H "Authorization: Bearer ${JWT}" https://x`]), ['sh', '-c', 'curl -H "Authorization: Bearer <redacted>" https://x']);
  assert.deepEqual(redactArgs(['--token', '--next']), ['--token', '--next'], 'a flag after a flag is not its value');
});

test('a Hugging Face inference Deployment: HF_TOKEN and DATABASE_URL hidden, the rest as deployed', () => {
  const dep: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'sentiment-inference',
      namespace: 'kubeflow',
      annotations: {
        'deployment.kubernetes.io/revision': '3',
        'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"apps/v1","kind":"Deployment","spec":{"template":{"spec":{"containers":[{"env":[{"name":"HF_TOKEN","value":"hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345"}]}]}}}}\n',
      },
    },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'kserve-container',
              image: 'docker.io/kserve/huggingfaceserver:v0.14.0',
              args: ['--model_name=sentiment', '--model_id=distilbert-base-uncased-finetuned-sst-2-english', '--hf_token', 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345'],
              env: [
                { name: 'HF_TOKEN', value: 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345' },
                { name: 'HF_HOME', value: '/mnt/models' },
                { name: 'DATABASE_URL', value: 'postgresql://inference:pg-Pa55w0rd@postgres.kubeflow:5432/predictions' },
                { name: 'WANDB_API_KEY', value: '0123456789abcdef0123456789abcdef01234567' },
                { name: 'S3_SECRET', valueFrom: { secretKeyRef: { name: 's3-credentials', key: 'secret' } } },
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              ],
              volumeMounts: [{ name: 'token', mountPath: '/var/run/secrets/tokens' }],
            },
          ],
          volumes: [{ name: 'creds', secret: { secretName: 's3-credentials' } }],
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        },
      },
    },
  } as KubeObject;
  const text = objectYaml(dep);
  assert.doesNotMatch(text, /hf_AbCd|pg-Pa55w0rd|0123456789abcdef0123/);
  assert.match(text, /name: HF_TOKEN\n\s+value: <redacted>/);
  assert.match(text, /name: HF_HOME\n\s+value: \/mnt\/models/);
  assert.match(text, /value: postgresql:\/\/inference:<redacted>@postgres\.kubeflow:5432\/predictions/);
  assert.match(text, /kubectl\.kubernetes\.io\/last-applied-configuration: <redacted>/);
  assert.match(text, /deployment\.kubernetes\.io\/revision: "3"/);
  assert.match(text, /secretKeyRef:\n\s+name: s3-credentials\n\s+key: secret/, 'references to secrets stay readable');
  assert.match(text, /secretName: s3-credentials/);
  assert.match(text, /- key: nvidia\.com\/gpu/, 'a toleration key is not a credential');
  assert.match(text, /- --hf_token\n\s+- <redacted>/);
  assert.match(text, /--model_id=distilbert/);
});

test('a Secret: every data and stringData value hidden, its keys and metadata kept', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: 'kubeconfig-controlplane-cluster-b', namespace: 'liqo-tenant-cluster-b', labels: { 'liqo.io/remote-cluster-id': 'cluster-b' }, managedFields: [{ manager: 'kubectl' }] },
    data: { kubeconfig: 'YXBpVmVyc2lvbjogdjEK', 'ca.crt': 'Q0E=' },
    stringData: { note: 'plain text' },
  } as unknown as KubeObject;
  const r = redactObject(secret) as { data: Record<string, string>; stringData: Record<string, string>; metadata: Record<string, unknown> };
  assert.deepEqual(r.data, { kubeconfig: '<redacted>', 'ca.crt': '<redacted>' });
  assert.deepEqual(r.stringData, { note: '<redacted>' });
  assert.equal(r.metadata.managedFields, undefined);
  assert.deepEqual(r.metadata.labels, { 'liqo.io/remote-cluster-id': 'cluster-b' });
});

test("Liqo's Identity and ResourceSlice: cloud keys hidden, certificates and IDs kept", () => {
  const text = objectYaml({
    kind: 'Identity',
    metadata: { name: 'controlplane-cluster-b', managedFields: [{ manager: 'x' }] } as never,
    spec: {
      clusterID: 'cluster-b',
      authParams: { ca: 'Q0E=', signedCRT: 'Q1JU', apiServer: 'https://10.0.0.1:6443', awsConfig: { awsAccessKeyID: 'AKIAIOSFODNN7EXAMPLE', awsSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } },
    },
    status: { kubeconfigSecretRef: { name: 'kubeconfig-controlplane-cluster-b' }, token: 'tkn' },
  } as never);
  assert.doesNotMatch(text, /managedFields|wJalrXUt|AKIAIOSF|tkn/);
  assert.match(text, /awsSecretAccessKey: <redacted>/);
  assert.match(text, /ca: Q0E=/);
  assert.match(text, /signedCRT: Q1JU/);
  assert.match(text, /clusterID: cluster-b/);
  assert.match(text, /kubeconfigSecretRef:\n\s+name: kubeconfig-controlplane-cluster-b/);
});
