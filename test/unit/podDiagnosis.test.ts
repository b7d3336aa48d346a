import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failureReport } from '../../src/core/diagnosis/failureReport.ts';
import { podCause } from '../../src/core/diagnosis/podCause.ts';
import type { NodeFacts, PodFacts, PodSide } from '../../src/core/diagnosis/podFacts.ts';

// Seed 000's failed pod as the test bed's kubelet (kwok, stage pod-failed) reports it, on the provider.
const oomPod = (ns: string, nodeName: string): PodFacts => ({
  metadata: { name: 'llm-finetune-7b', namespace: ns, labels: { app: 'llm-finetune' } },
  spec: { nodeName, containers: [{ name: 'trainer', image: 'ghcr.io/mlops-platform/llm-finetune:0.9.2', resources: { limits: { memory: '16Gi', 'nvidia.com/gpu': '1' }, requests: { cpu: '4', memory: '16Gi' } } }] },
  status: {
    phase: 'Failed',
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'PodFailed' },
      { type: 'ContainersReady', status: 'False', reason: 'PodFailed' },
      { type: 'PodScheduled', status: 'True' },
    ],
    containerStatuses: [
      {
        name: 'trainer',
        image: 'ghcr.io/mlops-platform/llm-finetune:0.9.2',
        ready: false,
        restartCount: 0,
        state: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2026-11-29T22:00:00Z', finishedAt: '2026-11-29T22:01:56Z' } },
      },
    ],
  },
});

const virtualNode = (ready: boolean): NodeFacts => ({
  metadata: { name: 'cluster-b', labels: { 'liqo.io/type': 'virtual-node', 'liqo.io/remote-cluster-id': 'cluster-b' } },
  status: { conditions: [ready ? { type: 'Ready', status: 'True', reason: 'KubeletReady' } : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'The Liqo Virtual Kubelet is currently not ready' }] },
});

const side = (cluster: string, pod: PodFacts | undefined, extra: Partial<PodSide> = {}): PodSide => ({ cluster, pod, events: [], logs: [], ...extra });

test('seed 000: the offloaded OOMKilled pod is explained first line, with the limit, from both sides', () => {
  const input = {
    local: side('kind-mlops-platform', oomPod('kubeflow', 'cluster-b'), {
      node: virtualNode(true),
      events: [{ type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned kubeflow/llm-finetune-7b to cluster-b', source: { component: 'default-scheduler' }, lastTimestamp: '2026-11-29T21:59:58Z' }],
    }),
    remote: {
      ...side('cluster-b', oomPod('kubeflow-kind-mlops-platform', 'cluster-b-gpu-worker'), {
        events: [{ type: 'Warning', reason: 'OOMKilled', message: 'Container trainer was OOMKilled (exit code 137): memory limit 16Gi exceeded', source: { component: 'kubelet', host: 'cluster-b-gpu-worker' }, lastTimestamp: '2026-11-29T22:01:56Z' }],
        logs: [{ container: 'trainer', lines: ['Epoch 1/2 step 2/800 loss=2.0411', 'torch.OutOfMemoryError: CUDA out of memory.', 'Killed'] }],
      }),
      shadowPodPhase: 'Failed',
    },
    remoteClusterId: 'cluster-b',
  };
  const r = failureReport(input);
  assert.equal(r.cause.kind, 'OOMKilled');
  const first = r.markdown.split('\n')[0]!;
  assert.equal(first, 'Container trainer was killed for running out of memory (OOMKilled, exit code 137): it used more than its memory limit of 16Gi on cluster-b.');
  assert.match(r.markdown, /Raise the memory limit \(now 16Gi\) of container trainer/);
  assert.match(r.markdown, /## On kind-mlops-platform \(consumer; the pod runs on a virtual node\)/);
  assert.match(r.markdown, /## On cluster-b \(provider, cluster ID cluster-b: the real pod\)/);
  assert.match(r.markdown, /ShadowPod phase: Failed/);
  assert.match(r.markdown, /\| Warning \| OOMKilled \| kubelet, cluster-b-gpu-worker \| Container trainer was OOMKilled/);
  assert.match(r.markdown, /```text\nEpoch 1\/2 step 2\/800 loss=2\.0411\ntorch\.OutOfMemoryError: CUDA out of memory\.\nKilled\n```/);
  assert.match(r.markdown, /terminated: exit code 137, OOMKilled, ran 2026-11-29T22:00:00Z → 2026-11-29T22:01:56Z/);
});

test('a virtual node NotReady means the remote cluster is unreachable, whatever the stale copy says', () => {
  const pod = { ...oomPod('kubeflow', 'cluster-c'), metadata: { name: 'batch-scorer', namespace: 'kubeflow', labels: { 'liqo.io/remote-unavailable': 'true' } } };
  const c = podCause({ local: side('kind-mlops-platform', pod, { node: { ...virtualNode(false), metadata: { name: 'cluster-c', labels: { 'liqo.io/type': 'virtual-node' } } } }), remoteClusterId: 'cluster-c' });
  assert.equal(c.kind, 'RemoteUnavailable');
  assert.match(c.headline, /^The remote cluster cluster-c is unreachable: the virtual node cluster-c is NotReady and Liqo marked the pod remote-unavailable/);
});

test('ImagePullBackOff names the image and the registry message', () => {
  const pod: PodFacts = {
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'nginx', image: 'nginx:does-not-exist' }] },
    status: {
      phase: 'Pending',
      containerStatuses: [{ name: 'nginx', image: 'nginx:does-not-exist', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:does-not-exist"' } } }],
    },
  };
  const c = podCause({ local: side('kind', pod) });
  assert.equal(c.headline, 'The image nginx:does-not-exist of container nginx cannot be pulled (ImagePullBackOff): Back-off pulling image "nginx:does-not-exist".');
});

test('CrashLoopBackOff gives the last exit code and its signal; an OOM in the last run is called so', () => {
  const crash = (last: object): PodFacts => ({
    metadata: { name: 'api', namespace: 'default' },
    spec: { containers: [{ name: 'api', resources: { limits: { memory: '256Mi' } } }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'api', restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } }, lastState: { terminated: last } }] },
  });
  assert.equal(podCause({ local: side('kind', crash({ exitCode: 1, reason: 'Error' })) }).headline, 'Container api keeps crashing (CrashLoopBackOff, 7 restarts): its last run exited with code 1 (Error).');
  assert.equal(podCause({ local: side('kind', crash({ exitCode: 143, reason: 'Error' })) }).headline, 'Container api keeps crashing (CrashLoopBackOff, 7 restarts): its last run exited with code 143 (SIGTERM) (Error).');
  const oom = podCause({ local: side('kind', crash({ exitCode: 137, reason: 'OOMKilled' })) });
  assert.equal(oom.kind, 'OOMKilled');
  assert.match(oom.headline, /^Container api was last killed for running out of memory \(OOMKilled, exit code 137\): it used more than its memory limit of 256Mi/);
});

test('Pending and unschedulable quotes the scheduler', () => {
  const pod: PodFacts = {
    metadata: { name: 'gpu-job', namespace: 'kubeflow' },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.' }] },
  };
  const c = podCause({ local: side('kind', pod) });
  assert.equal(c.kind, 'Unschedulable');
  assert.equal(c.headline, 'The pod cannot be scheduled: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.');
});

test('a running, ready pod is not failing; a running unready one quotes its probe', () => {
  const pod = (ready: string): PodFacts => ({ metadata: { name: 'ui', namespace: 'kubeflow' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready }], containerStatuses: [{ name: 'ui', ready: ready === 'True', state: { running: { startedAt: '2026-11-29T22:00:00Z' } } }] } });
  assert.equal(podCause({ local: side('kind', pod('True')) }).kind, 'NoFailure');
  const unready = podCause({ local: side('kind', pod('False'), { events: [{ type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503' }] }) });
  assert.equal(unready.headline, 'The pod runs but is not Ready: Readiness probe failed: HTTP probe failed with statuscode: 503.');
});

test('a pod that could not be read, and an unreadable provider, say so', () => {
  assert.equal(podCause({ local: side('kind', undefined, { podError: 'pods "x" not found' }) }).headline, 'The pod could not be read: pods "x" not found');
  const running: PodFacts = { metadata: { name: 'w', namespace: 'kubeflow' }, status: { phase: 'Running' } };
  const c = podCause({ local: side('kind', running), remote: { ...side('cluster-b', undefined, { podError: 'connect ECONNREFUSED 127.0.0.1:1' }) }, remoteClusterId: 'cluster-b' });
  assert.equal(c.kind, 'RemoteUnread');
});

test('values from the cluster cannot inject Markdown', () => {
  const pod: PodFacts = { metadata: { name: 'x', namespace: 'ns' }, status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory. <img src=x> [link](http://x)' } };
  const r = failureReport({ local: side('kind', pod) });
  assert.doesNotMatch(r.markdown, /(^|[^\\])<img/m);
  assert.match(r.markdown, /\\<img src=x\\> \\\[link\\\]\(http:\/\/x\)/);
});

test('the report is titled by what it found: a healthy or completed pod is not asked why it fails', () => {
  const ready: PodFacts = { metadata: { name: 'ui', namespace: 'kubeflow' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'ui', ready: true, state: { running: { startedAt: '2026-11-29T22:00:00Z' } } }] } };
  const healthy = failureReport({ local: side('kind', ready) });
  assert.equal(healthy.title, 'Pod kubeflow/ui is healthy');
  assert.match(healthy.markdown, /^# Pod kubeflow\/ui is healthy$/m);
  assert.doesNotMatch(healthy.markdown, /failing\?/);
  const done = failureReport({ local: side('kind', { metadata: { name: 'job', namespace: 'batch' }, status: { phase: 'Succeeded' } }) });
  assert.equal(done.title, 'Pod batch/job completed');
  const oom = failureReport({ local: side('kind', oomPod('kubeflow', 'node-1')) });
  assert.equal(oom.title, 'Why is pod kubeflow/llm-finetune-7b failing?');
  assert.match(oom.markdown, /^# Why is pod kubeflow\/llm-finetune-7b failing\?$/m);
});
