// The read-only YAML shown by Reveal in YAML: the object as the API returned it, with credentials redacted (see
// core/secrets: a user's screen may be shared, and Liqo's AuthParams can carry cloud keys).
import { stringify } from 'yaml';
import type { KubeObject } from './objects.ts';
import { redactObject } from '../secrets/redactObject.ts';

export function objectYaml(o: KubeObject): string {
  return stringify(redactObject(o), { lineWidth: 0, sortMapEntries: false });
}
