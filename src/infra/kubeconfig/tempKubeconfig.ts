// A temporary, minified kubeconfig holding one resolved context, for programs that need a file (liqoctl's
// --kubeconfig and --remote-kubeconfig). It lives in a private folder (0700) as a 0600 file and is removed when the
// callback ends, whether it succeeded, threw or was cancelled. Relative file references (certificate-authority,
// client-key, tokenFile, an exec command with a path) are made absolute against the folder of the file that defined
// them, so the copy means what the original meant.
//
// This is the minimal "extract one context" liqoctl needs; the kubeconfig workbench's Extract Context to File…
// (src/core/kubeconfig/edits.ts) is the full, user-facing form. The two should meet on one pure
// `extractContext(resolved) → text` in src/core/kubeconfig, with this module keeping only the file's lifetime.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { ResolvedContext, ResolvedEntry } from '../../core/kubeconfig/resolved.ts';

const CLUSTER_PATH_FIELDS = ['certificate-authority'];
const USER_PATH_FIELDS = ['client-certificate', 'client-key', 'tokenFile'];

function absolutise(entry: ResolvedEntry, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...entry.fields };
  for (const f of fields) {
    const v = out[f];
    if (typeof v === 'string' && v !== '' && !path.isAbsolute(v)) out[f] = path.resolve(entry.baseDir, v);
  }
  const exec = out.exec;
  if (exec && typeof exec === 'object' && !Array.isArray(exec)) {
    const e = { ...(exec as Record<string, unknown>) };
    // kubectl resolves an exec command with a path separator against the kubeconfig's folder; a bare name is PATH's.
    if (typeof e.command === 'string' && e.command.includes('/') && !path.isAbsolute(e.command)) e.command = path.resolve(entry.baseDir, e.command);
    out.exec = e;
  }
  return out;
}

/** The text of a kubeconfig with only this context, its cluster and its user; current-context set to it. */
export function minifiedKubeconfigText(ctx: ResolvedContext): string {
  const context: Record<string, unknown> = { cluster: ctx.cluster.name, user: ctx.user.name };
  if (ctx.namespace) context.namespace = ctx.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': ctx.contextName,
    clusters: [{ name: ctx.cluster.name, cluster: absolutise(ctx.cluster, CLUSTER_PATH_FIELDS) }],
    users: [{ name: ctx.user.name, user: absolutise(ctx.user, USER_PATH_FIELDS) }],
    contexts: [{ name: ctx.contextName, context }],
  });
}

export interface TempKubeconfig {
  readonly path: string;
  readonly contextName: string;
}

/** Runs `use` with one temporary kubeconfig per context (in one private folder), then removes the folder. */
export async function withTempKubeconfigs<T>(contexts: readonly ResolvedContext[], use: (files: TempKubeconfig[]) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'liqo-vscode-kubeconfig-'));
  try {
    const files: TempKubeconfig[] = [];
    for (const [i, ctx] of contexts.entries()) {
      const file = path.join(dir, `kubeconfig-${i}`);
      await writeFile(file, minifiedKubeconfigText(ctx), { mode: 0o600, flag: 'wx' });
      files.push({ path: file, contextName: ctx.contextName });
    }
    return await use(files);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
