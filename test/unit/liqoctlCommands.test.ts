// liqoctl commands as data: the argv each builder makes (a context name with spaces and quotes stays one element,
// values never read as flags), the parsers over output captured from liqoctl v1.0.1, and version comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failureReason, LiqoctlFailure, targetArgs } from '../../src/core/liqoctl/command.ts';
import { checkVersions, compareLiqoVersions, imageTag, liqoVersionOfDeployment, parseLiqoVersion, parseVersionOutput, versionCommand } from '../../src/core/liqoctl/version.ts';
import { isQuantity, peerCommand, unpeerCommand } from '../../src/core/liqoctl/peer.ts';
import { offloadCommand, offloadManifestCommand, unoffloadCommand } from '../../src/core/liqoctl/offload.ts';
import { infoCommand, parseInfo } from '../../src/core/liqoctl/info.ts';
import { commandLine, installArgs, installCommand, shellQuote } from '../../src/core/liqoctl/install.ts';
import { checksumFor, releaseAsset, releasePlatform } from '../../src/core/liqoctl/release.ts';

const odd = `my "prod" cluster's ctx`;

test('target flags: one element per flag, `=` form, namespace only when not liqo', () => {
  assert.deepEqual(targetArgs({ kubeconfig: '/tmp/x/k', context: odd }), ['--kubeconfig=/tmp/x/k', `--context=${odd}`]);
  assert.deepEqual(targetArgs({ kubeconfig: '/k', context: '-n', liqoNamespace: 'liqo-system' }, 'remote'), [
    '--remote-kubeconfig=/k',
    '--remote-context=-n',
    '--remote-namespace=liqo-system',
  ]);
  assert.deepEqual(targetArgs({ kubeconfig: '/k', liqoNamespace: 'liqo' }), ['--kubeconfig=/k']);
});

test('peer and unpeer argv', () => {
  const c = { kubeconfig: '/t/consumer', context: odd };
  const p = { kubeconfig: '/t/provider', context: 'cluster-b', liqoNamespace: 'liqo-system' };
  assert.deepEqual(peerCommand({ consumer: c, provider: p, gatewayServiceType: 'NodePort', gatewayServicePort: 51841, cpu: ' 4 ', memory: '8Gi', pods: '' }).args, [
    'peer',
    '--kubeconfig=/t/consumer',
    `--context=${odd}`,
    '--remote-kubeconfig=/t/provider',
    '--remote-context=cluster-b',
    '--remote-namespace=liqo-system',
    '--gw-server-service-type=NodePort',
    '--gw-server-service-port=51841',
    '--cpu=4',
    '--memory=8Gi',
  ]);
  const noNet = peerCommand({ consumer: c, provider: p, networkingDisabled: true, gatewayServiceType: 'NodePort' }).args;
  assert.ok(noNet.includes('--networking-disabled') && !noNet.some((a) => a.startsWith('--gw-')));
  assert.deepEqual(unpeerCommand({ consumer: c, provider: p, deleteNamespaces: true }).args.slice(-2), ['--skip-confirm', '--delete-namespaces']);
});

test('offload argv: strategies, remote name only with SelectedName, one --selector per term', () => {
  const t = { kubeconfig: '/k', context: odd };
  const choices = {
    podOffloadingStrategy: 'Remote' as const,
    namespaceMappingStrategy: 'SelectedName' as const,
    remoteNamespaceName: 'far-away',
    clusterSelector: [[{ key: 'topology.region', operator: 'In' as const, values: ['center'] }, { key: 'gdpr-approved', operator: 'In' as const, values: ['true'] }], [{ key: 'staging', operator: 'DoesNotExist' as const }]],
  };
  assert.deepEqual(offloadCommand(t, 'kubeflow', choices).args, [
    'offload',
    'namespace',
    'kubeflow',
    '--kubeconfig=/k',
    `--context=${odd}`,
    '--pod-offloading-strategy=Remote',
    '--namespace-mapping-strategy=SelectedName',
    '--remote-namespace-name=far-away',
    '--selector=gdpr-approved in (true),topology.region in (center)',
    '--selector=!staging',
  ]);
  const yaml = offloadManifestCommand(t, 'kubeflow', { ...choices, namespaceMappingStrategy: 'DefaultName' });
  assert.equal(yaml.args.at(-1), '--output=yaml');
  assert.ok(!yaml.args.some((a) => a.startsWith('--remote-namespace-name')));
  assert.equal(yaml.parse({ exitCode: 0, stdout: 'apiVersion: x\n', stderr: '' }), 'apiVersion: x\n');
  assert.deepEqual(unoffloadCommand(t, 'kubeflow').args, ['unoffload', 'namespace', 'kubeflow', '--kubeconfig=/k', `--context=${odd}`, '--skip-confirm']);
});

test("a failure is liqoctl's own ERRO line, without colours; a success parses", () => {
  const stderr = '\u001b[36mINFO\u001b[0m  (local) Checking stuff\n\u001b[31mERRO\u001b[0m  (remote) Unable to create: dial tcp 127.0.0.9:6443: connect: connection refused\n';
  const err = (() => {
    try {
      peerCommand({ consumer: { kubeconfig: '/a' }, provider: { kubeconfig: '/b' } }).parse({ exitCode: 1, stdout: '', stderr });
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(err instanceof LiqoctlFailure);
  assert.equal(err.message, '(remote) Unable to create: dial tcp 127.0.0.9:6443: connect: connection refused');
  assert.equal(err.exitCode, 1);
  assert.equal(failureReason({ exitCode: 1, stdout: '', stderr: 'Error: unknown flag: --frobnicate\n' }), 'unknown flag: --frobnicate');
  assert.match(failureReason({ exitCode: 2, stdout: '', stderr: '' }), /exited with 2/);
});

test('versions: parse, compare (pre-releases first), image tags, every micro difference reported', () => {
  assert.deepEqual(parseLiqoVersion('v1.0.1'), { major: 1, minor: 0, patch: 1, prerelease: '', raw: 'v1.0.1' });
  assert.equal(parseLiqoVersion('unknown'), undefined);
  assert.equal(parseLiqoVersion('3f1c2ab'), undefined);
  const v = (s: string) => parseLiqoVersion(s)!;
  assert.ok(compareLiqoVersions(v('v1.0.0'), v('v1.0.1')) < 0);
  assert.ok(compareLiqoVersions(v('v1.1.0-rc.1'), v('v1.1.0')) < 0);
  assert.ok(compareLiqoVersions(v('v1.2.0'), v('1.10.0')) < 0);
  assert.equal(compareLiqoVersions(v('1.0.1'), v('v1.0.1')), 0);
  assert.equal(imageTag('ghcr.io/liqotech/liqo-controller-manager:v1.0.1'), 'v1.0.1');
  assert.equal(imageTag('registry:5000/liqo/cm:v1.2.0@sha256:abc'), 'v1.2.0');
  assert.equal(imageTag('registry:5000/liqo/cm'), undefined);
  const dep = { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'x:v9' }, { name: 'controller-manager', image: 'ghcr.io/liqotech/liqo-controller-manager:v1.0.1' }] } } } };
  assert.equal(liqoVersionOfDeployment(dep), 'v1.0.1');
  assert.equal(checkVersions('v1.0.1', 'v1.0.1', 'a').fit, 'same');
  const micro = checkVersions('v1.0.0', 'v1.0.1', 'cluster-b');
  assert.equal(micro.fit, 'patch');
  assert.match(micro.message, /liqoctl is v1\.0\.0 but cluster-b runs Liqo v1\.0\.1 \(micro versions differ/);
  assert.equal(checkVersions('v1.2.0', 'v1.0.1', 'a').fit, 'minor');
  assert.equal(checkVersions('unknown', 'v1.0.1', 'a').fit, 'unknown');
});

test('version output of liqoctl v1.0.1 (client only, and with a server)', () => {
  assert.deepEqual(versionCommand().args, ['version', '--client']);
  assert.deepEqual(parseVersionOutput('Client version: v1.0.1\n'), { client: 'v1.0.1' });
  assert.deepEqual(parseVersionOutput('Client version: v1.0.1\nServer version: v1.0.0\n'), { client: 'v1.0.1', server: 'v1.0.0' });
  assert.deepEqual(parseVersionOutput('Client version: v1.0.1\nServer version: Unknown\n'), { client: 'v1.0.1' });
  assert.throws(() => parseVersionOutput('liqoctl 1'), /not understood/);
});

test('info -o json as liqoctl v1.0.1 prints it', () => {
  const stdout = JSON.stringify({
    health: { healthy: false, unhealthyPods: { 'liqo-ipam-1': { status: 'Pending' } } },
    local: { clusterID: 'kind-mlops-platform', version: 'v1.0.1', labels: { 'topology.region': 'north' }, APIServerAddr: 'https://127.0.0.1:42671' },
    network: { podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16' },
    peerings: { peers: [{ clusterID: 'cluster-b', role: 'Provider', networkingStatus: 'Healthy', authenticationStatus: 'Healthy', offloadingStatus: 'Disabled' }] },
  });
  const info = infoCommand({ kubeconfig: '/k', context: odd, liqoNamespace: 'liqo-system' });
  assert.deepEqual(info.args, ['info', '--kubeconfig=/k', `--context=${odd}`, '--namespace=liqo-system', '--output=json']);
  assert.deepEqual(info.parse({ exitCode: 0, stdout, stderr: '' }), {
    clusterId: 'kind-mlops-platform',
    version: 'v1.0.1',
    labels: { 'topology.region': 'north' },
    apiServerAddress: 'https://127.0.0.1:42671',
    healthy: false,
    unhealthyPods: ['liqo-ipam-1'],
    podCidr: '10.244.0.0/16',
    serviceCidr: '10.96.0.0/16',
    peers: [{ clusterId: 'cluster-b', role: 'Provider', networking: 'Healthy', authentication: 'Healthy', offloading: 'Disabled' }],
  });
  assert.throws(() => parseInfo('{"local":{}}'), /no local cluster ID/);
  assert.throws(() => parseInfo('INFO not json'), /did not print JSON/);
});

test('install argv: flags only where the provider takes them; a copyable shell line', () => {
  assert.deepEqual(installArgs({ provider: '', clusterId: 'edge-1', clusterLabels: { 'topology.region': 'center', gdpr: 'true' }, podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' }), [
    'install',
    '--cluster-id=edge-1',
    '--cluster-labels=topology.region=center,gdpr=true',
    '--pod-cidr=10.244.0.0/16',
    '--service-cidr=10.96.0.0/16',
  ]);
  assert.deepEqual(installArgs({ provider: 'kind', clusterId: 'a', podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12' }), ['install', 'kind', '--cluster-id=a']);
  assert.deepEqual(installArgs({ provider: 'aks', podCidr: '10.224.0.0/16', serviceCidr: 'x' }), ['install', 'aks', '--pod-cidr=10.224.0.0/16']);
  assert.deepEqual(installCommand({ target: { kubeconfig: '/k', context: odd }, provider: 'k3s' }).args, ['install', 'k3s', '--kubeconfig=/k', `--context=${odd}`]);
  assert.equal(shellQuote(`--context=${odd}`), `'--context=my "prod" cluster'\\''s ctx'`);
  assert.equal(commandLine('liqoctl', ['install', '--pod-cidr=10.244.0.0/16']), 'liqoctl install --pod-cidr=10.244.0.0/16');
});

test('quantities as Kubernetes writes them', () => {
  for (const q of ['4', '500m', '8Gi', '1.5', '100M', '1e3']) assert.ok(isQuantity(q), q);
  for (const q of ['', 'four', '8GB', '-1', '1.2.3']) assert.ok(!isQuantity(q), q);
});

test('release assets for this OS and arch, and checksum files', () => {
  assert.deepEqual(releasePlatform('linux', 'x64'), { os: 'linux', arch: 'amd64' });
  assert.deepEqual(releasePlatform('darwin', 'arm64'), { os: 'darwin', arch: 'arm64' });
  assert.equal(releasePlatform('win32', 'arm64'), undefined);
  assert.equal(releasePlatform('sunos', 'x64'), undefined);
  const a = releaseAsset('http://127.0.0.1:9/mirror/', '1.0.1', 'linux', 'amd64');
  assert.equal(a.url, 'http://127.0.0.1:9/mirror/v1.0.1/liqoctl-linux-amd64.tar.gz');
  assert.equal(a.checksumUrls[0], 'http://127.0.0.1:9/mirror/v1.0.1/liqoctl-linux-amd64.tar.gz.sha256');
  assert.throws(() => releaseAsset('http://x', 'latest', 'linux', 'amd64'), /not a Liqo release version/);
  const d = 'a'.repeat(64);
  const e = 'B'.repeat(64);
  assert.equal(checksumFor(`${d}\n`, 'liqoctl-linux-amd64.tar.gz'), d);
  assert.equal(checksumFor(`${e}  liqoctl-darwin-arm64.tar.gz\n${d} *liqoctl-linux-amd64.tar.gz\n`, 'liqoctl-linux-amd64.tar.gz'), d);
  assert.equal(checksumFor(`${e}  liqoctl-darwin-arm64.tar.gz\n`, 'liqoctl-linux-amd64.tar.gz'), undefined);
  assert.equal(checksumFor('not a digest', 'x'), undefined);
});
