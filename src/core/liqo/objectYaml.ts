// The read-only YAML shown by Reveal in YAML: the object as the API returned it, with credentials redacted (see
// core/secrets: a user's screen may be shared, and Liqo's AuthParams can carry cloud keys), or what keeps it from
// being shown.
import { stringify } from 'yaml';
import type { KubeObject } from './objects.ts';
import { redactObject } from '../secrets/redactObject.ts';

export function objectYaml(o: KubeObject): string {
  return stringify(redactObject(o), { lineWidth: 0, sortMapEntries: false });
}

/** One object as read from its cluster for its document (infra/cluster/objectFollow.ts). */
export type FollowedObject =
  | { readonly kind: 'loading' }
  | { readonly kind: 'present'; readonly object: KubeObject }
  /** The read answered without it: deleted, or its resource type is gone. */
  | { readonly kind: 'gone' }
  | { readonly kind: 'unreadable'; readonly message: string }
  /** No client to read it through: the cluster is not connected (or no longer in the kubeconfig). */
  | { readonly kind: 'disconnected' };

/** The document's text: the object's YAML, or one comment line saying why it is not there and what happens next. */
export function followedObjectText(f: FollowedObject, key: string, contextName: string): string {
  switch (f.kind) {
    case 'present':
      return objectYaml(f.object);
    case 'loading':
      return `# Reading ${key} from ${contextName}…\n`;
    case 'gone':
      return `# ${key} is no longer in ${contextName} (deleted).\n`;
    case 'unreadable':
      return `# ${key} could not be read from ${contextName}: ${f.message.replace(/\.$/, '')}. It is read again by itself; this document updates when it is.\n`;
    case 'disconnected':
      return `# ${contextName} is not connected: expand it in the Liqo view (or Retry there); this document updates once it is.\n`;
  }
}
