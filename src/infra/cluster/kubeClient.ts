// Builds a private @kubernetes/client-node KubeConfig for one context of one kubeconfig file. Each cluster session
// owns its own copy: selecting a context here never touches the user's file or its current-context. A file is
// parsed once for all its contexts (a kubeconfig with many contexts would otherwise be parsed once per context).
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

const parsed = new Map<string, { readonly text: string; readonly base: KubeConfig }>();
const MAX_FILES = 64;

function baseConfig(filePath: string, text: string): KubeConfig {
  const hit = parsed.get(filePath);
  if (hit && hit.text === text) return hit.base;
  const base = new KubeConfig();
  // `filter` drops entries client-node cannot use instead of throwing; our own parser already reported those.
  base.loadFromString(text, { onInvalidEntry: 'filter' });
  base.makePathsAbsolute(path.dirname(filePath));
  parsed.delete(filePath);
  parsed.set(filePath, { text, base });
  if (parsed.size > MAX_FILES) parsed.delete(parsed.keys().next().value as string);
  return base;
}

export function kubeConfigFor(filePath: string, text: string, contextName: string): KubeConfig {
  const base = baseConfig(filePath, text);
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: base.clusters, users: base.users, contexts: base.contexts, currentContext: contextName });
  kc.setCurrentContext(contextName);
  return kc;
}

/**
 * The program a context's credentials would run, if any: an exec plugin, or an auth provider's `cmd-path` (gcp).
 * Restricted workspaces must not run it.
 */
export function credentialProgram(kc: KubeConfig): string | undefined {
  const user = kc.getCurrentUser();
  const exec = user?.exec as { command?: unknown } | undefined;
  if (exec) return typeof exec.command === 'string' ? exec.command : 'exec plugin';
  const cmdPath = (user?.authProvider as { config?: Record<string, unknown> } | undefined)?.config?.['cmd-path'];
  return typeof cmdPath === 'string' && cmdPath ? cmdPath : undefined;
}
