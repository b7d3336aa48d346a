// Reveal in YAML's redaction on the shapes people really deploy: a Hugging Face inference Deployment, a web app with
// DATABASE_URL, a `kubectl apply`-ed Secret, controllers given tokens in args, Liqo's own objects. (Free-text
// redaction itself is tested in redactText.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCredentialName } from '../../src/core/secrets/credentialNames.ts';
import { redactObject } from '../../src/core/secrets/redactObject.ts';
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
              command: ['sh', '-c', `curl -fsS -H "Authorization: Bearer ${JWT}" http://registry/notify && exec python serve.py`],
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
  assert.doesNotMatch(text, /hf_AbCd|pg-Pa55w0rd|0123456789abcdef0123|eyJhbGci/);
  assert.match(text, /Authorization: Bearer <redacted>" http:\/\/registry\/notify && exec python serve\.py/);
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
