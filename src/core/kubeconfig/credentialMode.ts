// Which mode a kubeconfig the extension writes gets. A file that holds a user entry (token, key, password, a
// credential program's settings) is written 0600 wherever it lands, as kubectl's own new files are; a file without
// any (clusters and contexts only) keeps the mode it had, and a new one is 0600 too.
import { parseKubeconfig } from './parse.ts';

/** True when the text defines a non-empty user entry; text that cannot be read counts as holding credentials. */
export function holdsCredentials(text: string): boolean {
  const parsed = parseKubeconfig(text);
  if (!parsed.ok) return true;
  for (const fields of parsed.config.raw.users.values()) if (Object.keys(fields).length > 0) return true;
  return false;
}

/** The mode to write `text` with, given the mode the file has now (undefined for a new file). */
export function modeForKubeconfig(text: string, currentMode: number | undefined): number {
  if (currentMode === undefined || holdsCredentials(text)) return 0o600;
  return currentMode;
}
