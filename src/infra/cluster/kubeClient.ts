// Builds a private @kubernetes/client-node KubeConfig for one context of one kubeconfig file. Each cluster session
// owns its own copy: selecting a context here never touches the user's file or its current-context.
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export function kubeConfigFor(filePath: string, text: string, contextName: string): KubeConfig {
  const kc = new KubeConfig();
  // `filter` drops entries client-node cannot use instead of throwing; our own parser already reported those.
  kc.loadFromString(text, { onInvalidEntry: 'filter' });
  kc.makePathsAbsolute(path.dirname(filePath));
  kc.setCurrentContext(contextName);
  return kc;
}
