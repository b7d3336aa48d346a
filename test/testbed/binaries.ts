// Finds the built control-plane binaries, building them first (build-binaries.sh, progress on stderr) when the
// cache does not have them yet. The script returns at once on a warm cache and needs no Go toolchain then.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { buildScript } from './paths.ts';

export const REQUIRED_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok', 'liqoctl'];
/** What the live scenario adds: Liqo's control plane, its virtual kubelet, helm and Liqo's chart. */
export const CONTROL_PLANE_BINARIES = ['liqo-controller-manager', 'crd-replicator', 'webhook', 'virtual-kubelet', 'helm', 'liqo-chart'];

export interface BinaryOptions {
  /** also Liqo's control plane (the live scenario) */
  controlPlane?: boolean;
  /** the Liqo release (default: the build script's, v1.0.1) */
  liqoVersion?: string;
  /** also metrics-server (the scenarios with metrics) */
  metricsServer?: boolean;
}

export async function resolveBinaries(opts: BinaryOptions = {}, log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<string> {
  let stdout: string;
  const started = Date.now();
  try {
    const flags = [...(opts.controlPlane ? ['--control-plane'] : []), ...(opts.metricsServer ? ['--metrics-server'] : [])];
    const run = execa('bash', [buildScript, ...flags], {
      stdin: 'ignore',
      stderr: ['pipe', 'inherit'],
      reject: true,
      env: opts.liqoVersion ? { TESTBED_LIQO_VERSION: opts.liqoVersion } : {},
    });
    stdout = (await run).stdout;
  } catch (err) {
    const e = err as { exitCode?: number; stdout?: string; shortMessage?: string };
    if (e.exitCode === 3) throw new Error('Go toolchain not found: the test bed builds its Kubernetes and Liqo binaries from Go modules. Install Go >= 1.24 (or put /usr/local/go/bin on PATH) and retry.');
    throw new Error(`building the test bed binaries failed (${e.shortMessage ?? 'see the output above'})`);
  }
  const binDir = stdout.trim().split('\n').pop() ?? '';
  const missing = [...REQUIRED_BINARIES, ...(opts.controlPlane ? CONTROL_PLANE_BINARIES : []), ...(opts.metricsServer ? ['metrics-server'] : [])].filter((b) => !fs.existsSync(path.join(binDir, b)));
  if (!binDir || missing.length > 0) throw new Error(`build-binaries.sh did not produce ${missing.join(', ')} in '${binDir}'`);
  if (Date.now() - started > 5000) log(`[testbed] binaries built in ${Math.round((Date.now() - started) / 1000)} s (${binDir})`);
  return binDir;
}
