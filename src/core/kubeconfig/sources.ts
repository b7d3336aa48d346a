// Which kubeconfig files the extension reads, in order: kubectl's rule (the KUBECONFIG path list, else
// ~/.kube/config) followed by the user's `liqo.kubeconfigs` entries. Pure: the caller supplies env, home and the
// platform's delimiter; folders are expanded by infra.
import * as path from 'node:path';

export type SourceOrigin = 'KUBECONFIG' | 'default' | 'setting';

export interface KubeconfigSource {
  /** Absolute, normalised path (a file, or for `setting` entries possibly a folder). */
  readonly path: string;
  readonly origin: SourceOrigin;
}

export interface SourceInputs {
  readonly kubeconfigEnv: string | undefined;
  readonly homeDir: string;
  /** path.delimiter of the platform: ':' on POSIX, ';' on Windows. */
  readonly delimiter: string;
  readonly settingEntries: readonly string[];
  /** Where relative setting entries are resolved (the first workspace folder, else home). */
  readonly baseDir?: string;
}

export function expandHome(entry: string, homeDir: string): string {
  if (entry === '~') return homeDir;
  if (entry.startsWith('~/') || entry.startsWith('~\\')) return path.join(homeDir, entry.slice(2));
  return entry;
}

export function kubeconfigSources(inputs: SourceInputs): KubeconfigSource[] {
  const out: KubeconfigSource[] = [];
  const seen = new Set<string>();
  const add = (raw: string, origin: SourceOrigin): void => {
    const trimmed = raw.trim();
    if (trimmed === '') return;
    const expanded = expandHome(trimmed, inputs.homeDir);
    const abs = path.resolve(inputs.baseDir ?? inputs.homeDir, expanded);
    if (seen.has(abs)) return;
    seen.add(abs);
    out.push({ path: abs, origin });
  };
  const envList = inputs.kubeconfigEnv?.split(inputs.delimiter).filter((p) => p.trim() !== '') ?? [];
  if (envList.length > 0) {
    for (const p of envList) add(p, 'KUBECONFIG');
  } else {
    add(path.join(inputs.homeDir, '.kube', 'config'), 'default');
  }
  for (const entry of inputs.settingEntries) add(entry, 'setting');
  return out;
}

/** Which files of a folder listed in `liqo.kubeconfigs` count as kubeconfigs: no dotfiles, no obvious non-YAML. */
export function isKubeconfigCandidate(fileName: string): boolean {
  if (fileName.startsWith('.')) return false;
  const ext = path.extname(fileName).toLowerCase();
  return ext === '' || ext === '.yaml' || ext === '.yml' || ext === '.conf' || ext === '.config' || ext === '.kubeconfig';
}
