// Reads the certificate, key and token files a kubeconfig entry refers to, for flattening into a self-contained
// file. Relative paths are relative to the kubeconfig's folder, as kubectl reads them. Contents go back as base64
// and are never logged.
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileReference } from '../../core/kubeconfig/extract.ts';

export async function readReferencedFiles(kubeconfigPath: string, refs: readonly FileReference[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const ref of refs) {
    const p = ref.path.startsWith('~/') ? path.join(os.homedir(), ref.path.slice(2)) : path.resolve(path.dirname(kubeconfigPath), ref.path);
    const data = await readFile(p).catch(() => undefined);
    if (data) out.set(ref.path, data.toString('base64'));
  }
  return out;
}
