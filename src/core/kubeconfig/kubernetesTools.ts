// The kubeconfig files VS Code Kubernetes Tools (ms-kubernetes-tools.vscode-kubernetes-tools) is set up with, read from
// its settings without depending on that extension, and which of them to offer as sources: those the Liqo view does not
// read yet and that were not offered before. Pure: the caller reads the settings, the home and workspace folders, and
// keeps the record of what was offered.
import * as path from 'node:path';
import { expandHome } from './sources.ts';

/** Kubernetes Tools keeps its settings in one object, `"vs-kubernetes": { "vs-kubernetes.kubeconfig": ..., ... }`. */
export const KUBERNETES_TOOLS_SECTION = 'vs-kubernetes';
const KUBECONFIG_KEY = 'vs-kubernetes.kubeconfig';
const KNOWN_KUBECONFIGS_KEY = 'vs-kubernetes.knownKubeconfigs';

export interface PathContext {
  readonly homeDir: string;
  /** The first workspace folder, for `${workspaceFolder}` and relative paths; home when there is none. */
  readonly baseDir?: string;
}

function resolveEntry(raw: string, ctx: PathContext): string {
  const base = ctx.baseDir ?? ctx.homeDir;
  const substituted = raw.trim().replaceAll('${userHome}', ctx.homeDir).replaceAll('${workspaceFolder}', base);
  return path.resolve(base, expandHome(substituted, ctx.homeDir));
}

/**
 * The files `vs-kubernetes.kubeconfig` and `vs-kubernetes.knownKubeconfigs` name, absolute, in that order, each once.
 * `section` is the value of the `vs-kubernetes` setting as the configuration API returns it (anything: it is not ours).
 */
export function kubernetesToolsKubeconfigs(section: unknown, ctx: PathContext): string[] {
  if (!section || typeof section !== 'object') return [];
  const s = section as Record<string, unknown>;
  // Written as the nested object (what Kubernetes Tools writes) or as dotted keys, which VS Code nests one level.
  const kubeconfig = s[KUBECONFIG_KEY] ?? s['kubeconfig'];
  const known = s[KNOWN_KUBECONFIGS_KEY] ?? s['knownKubeconfigs'];
  const raw = [kubeconfig, ...(Array.isArray(known) ? known : [])].filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return [...new Set(raw.map((r) => resolveEntry(r, ctx)))];
}

/** What became of a file the last time it was looked at: offered, or named as missing/unreadable/not a kubeconfig. */
export type ToolsFileOutcome = 'offered' | 'missing' | 'unreadable' | 'malformed';

export interface ToolsFileRecord {
  readonly path: string;
  readonly outcome: ToolsFileOutcome;
}

/**
 * The files to look at now: named by Kubernetes Tools, not read by the Liqo view already, and not offered before. A file
 * named before as missing or broken is looked at again (it may be fixed now); it is named again only if its outcome
 * changed, which the caller checks with `isNews`.
 */
export function kubeconfigsToConsider(toolsFiles: readonly string[], alreadyRead: readonly string[], records: readonly ToolsFileRecord[]): string[] {
  const read = new Set(alreadyRead);
  const offered = new Set(records.filter((r) => r.outcome === 'offered').map((r) => r.path));
  return toolsFiles.filter((f) => !read.has(f) && !offered.has(f));
}

/** True when this outcome of the file was not recorded before (so the user has not been told it yet). */
export function isNews(record: ToolsFileRecord, records: readonly ToolsFileRecord[]): boolean {
  return !records.some((r) => r.path === record.path && r.outcome === record.outcome);
}

/** The records after this round: one per file, its latest outcome. */
export function updatedRecords(records: readonly ToolsFileRecord[], now: readonly ToolsFileRecord[]): ToolsFileRecord[] {
  const byPath = new Map(records.map((r) => [r.path, r]));
  for (const r of now) byPath.set(r.path, r);
  return [...byPath.values()];
}
