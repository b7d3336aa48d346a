// The two doors of the read-only guard stay the only ways to a cluster: liqoctl gets a cluster's kubeconfig only
// through LiqoctlRunner.runOn (which asks the guard first), and the only ClusterClients that write are the sessions'
// (built with the guard). A future module that writes its own temporary kubeconfig, or builds a client without the
// guard and writes with it, fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.join(import.meta.dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const rel = (p: string) => path.relative(SRC, p).split(path.sep).join('/');

test('temporary kubeconfigs for liqoctl are written only inside the guarded runner', () => {
  const users = sources(SRC).filter((f) => /\bwithTempKubeconfigs\b/.test(readFileSync(f, 'utf8'))).map(rel).sort();
  assert.deepEqual(users, ['infra/kubeconfig/tempKubeconfig.ts', 'infra/liqoctl/liqoctlRunner.ts']);
});

test('clients are built by the sessions (with the guard) and by the kubeconfig probe, which only reads', () => {
  const builders = sources(SRC).filter((f) => /\bcreateClusterClient\(/.test(readFileSync(f, 'utf8'))).map(rel).sort();
  assert.deepEqual(builders, ['infra/cluster/clusterSession.ts', 'infra/cluster/httpClusterClient.ts', 'infra/kubeconfig/probeEdited.ts']);
  assert.match(readFileSync(path.join(SRC, 'infra/cluster/clusterSession.ts'), 'utf8'), /writeGate: this\.options\.writeGate/);
  const probe = readFileSync(path.join(SRC, 'infra/kubeconfig/probeEdited.ts'), 'utf8');
  assert.doesNotMatch(probe, /\.(apply|delete)\(/, 'the probe of an edited kubeconfig must not write');
});
