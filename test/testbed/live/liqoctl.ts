// Runs the built liqoctl against the test bed's kubeconfig (argv only, no shell): the real peer, offload,
// unoffload, unpeer and info that the live scenario's --peered and its tests perform. A failure quotes liqoctl's
// own output, which says what it was waiting for.
import path from 'node:path';
import { execa } from 'execa';

export interface LiqoctlTarget {
  binDir: string;
  kubeconfig: string;
  /** where Liqo is installed on every cluster of the test bed (liqoctl's default: `liqo`) */
  liqoNamespace?: string;
}

/** liqoctl's flag for Liqo's namespace on one side ('remote': the peer's), when it is not the default. */
function namespaceArgs(t: LiqoctlTarget, side: 'local' | 'remote' = 'local'): string[] {
  if (t.liqoNamespace === undefined || t.liqoNamespace === 'liqo') return [];
  return [`--${side === 'remote' ? 'remote-' : ''}namespace=${t.liqoNamespace}`];
}

export async function liqoctl(t: LiqoctlTarget, context: string, args: string[], timeoutMs = 180_000): Promise<{ stdout: string; stderr: string }> {
  const argv = [...args, '--kubeconfig', t.kubeconfig, '--context', context];
  try {
    const r = await execa(path.join(t.binDir, 'liqoctl'), argv, { stdin: 'ignore', timeout: timeoutMs, env: { NO_COLOR: '1' } });
    return { stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { shortMessage?: string; stdout?: string; stderr?: string; message: string };
    throw new Error(`liqoctl ${args.join(' ')} (context ${context}) failed: ${e.shortMessage ?? e.message}\n${e.stderr ?? ''}\n${e.stdout ?? ''}`.trim());
  }
}

/** `liqoctl peer --networking-disabled` from consumer to provider; resolves when liqoctl reports completion. */
export function peer(t: LiqoctlTarget, consumer: string, provider: string, extra: string[] = []) {
  return liqoctl(t, consumer, ['peer', ...namespaceArgs(t), ...namespaceArgs(t, 'remote'), '--remote-kubeconfig', t.kubeconfig, '--remote-context', provider, '--networking-disabled', ...extra]);
}

export function unpeer(t: LiqoctlTarget, consumer: string, provider: string, timeoutMs?: number) {
  return liqoctl(t, consumer, ['unpeer', ...namespaceArgs(t), ...namespaceArgs(t, 'remote'), '--remote-kubeconfig', t.kubeconfig, '--remote-context', provider, '--skip-confirm', '--wait'], timeoutMs);
}

export function offload(t: LiqoctlTarget, consumer: string, namespace: string, strategy: 'Remote' | 'Local' | 'LocalAndRemote' = 'Remote') {
  return liqoctl(t, consumer, ['offload', 'namespace', namespace, '--pod-offloading-strategy', strategy]);
}

export function unoffload(t: LiqoctlTarget, consumer: string, namespace: string) {
  return liqoctl(t, consumer, ['unoffload', 'namespace', namespace, '--skip-confirm']);
}
