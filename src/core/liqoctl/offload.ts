// `liqoctl offload namespace` and `liqoctl unoffload namespace` as data. The extension creates the
// NamespaceOffloading through the API (src/core/offloading builds it); the `-o yaml` form is what tests compare
// that object with, and what a user can copy.
import { requireSuccess, targetArgs, type LiqoctlCommand, type LiqoctlTarget } from './command.ts';
import type { OffloadingChoices } from '../offloading/namespaceOffloading.ts';
import { selectorTermToText } from '../offloading/clusterSelector.ts';

/** The flags that express the choices; each selector term becomes one `--selector` (liqoctl ORs them). */
export function offloadChoiceArgs(c: OffloadingChoices): string[] {
  const args = [`--pod-offloading-strategy=${c.podOffloadingStrategy}`, `--namespace-mapping-strategy=${c.namespaceMappingStrategy}`];
  if (c.namespaceMappingStrategy === 'SelectedName' && c.remoteNamespaceName) args.push(`--remote-namespace-name=${c.remoteNamespaceName}`);
  for (const term of c.clusterSelector) args.push(`--selector=${selectorTermToText(term)}`);
  return args;
}

/** Offloads `namespace` and waits (liqoctl's --timeout) for Ready. */
export function offloadCommand(target: LiqoctlTarget, namespace: string, c: OffloadingChoices): LiqoctlCommand<void> {
  return {
    args: ['offload', 'namespace', namespace, ...targetArgs(target, 'local', false), ...offloadChoiceArgs(c)],
    title: `offload namespace ${namespace}`,
    parse: requireSuccess,
  };
}

/** The NamespaceOffloading liqoctl would create, printed as YAML instead of applied. */
export function offloadManifestCommand(target: LiqoctlTarget, namespace: string, c: OffloadingChoices): LiqoctlCommand<string> {
  return {
    args: ['offload', 'namespace', namespace, ...targetArgs(target, 'local', false), ...offloadChoiceArgs(c), '--output=yaml'],
    title: `offload namespace ${namespace} -o yaml`,
    parse: (out) => {
      requireSuccess(out);
      return out.stdout;
    },
  };
}

/** Unoffloads `namespace`; the caller asked the user first, so liqoctl's own prompt is skipped. */
export function unoffloadCommand(target: LiqoctlTarget, namespace: string): LiqoctlCommand<void> {
  return {
    args: ['unoffload', 'namespace', namespace, ...targetArgs(target, 'local', false), '--skip-confirm'],
    title: `unoffload namespace ${namespace}`,
    parse: requireSuccess,
  };
}
