// The connection check of Import Kubeconfig over SSH before the "Save?" question: each imported context is probed
// with only the credentials written in the file. A context whose user would run a program or read local files is
// not probed (core/ssh/preSaveProbe.ts says why): the remote host chose that file, and nothing from it runs on this
// machine before the user has seen the diff and saved. After the save the view connects as for any other file.
import { buildClusterList } from '../../core/kubeconfig/clusters.ts';
import { parseKubeconfig } from '../../core/kubeconfig/parse.ts';
import { whyNotProbedBeforeSave } from '../../core/ssh/preSaveProbe.ts';
import type { ProbeResult } from '../cluster/probe.ts';
import { probeEditedKubeconfig } from '../kubeconfig/probeEdited.ts';
import { credentialProviderForContext } from '../credentials/credentialProviderFor.ts';
import { ProcessRunner } from '../process/runner.ts';

// Stored auth-provider tokens (oidc id-token, access-token) need a provider but run nothing. Its runner is untrusted
// as a second guard: were a program ever asked for, it would be refused before anything is spawned.
const NOTHING_RUNS = new ProcessRunner({ trusted: false });

export type PreSaveProbe =
  | { readonly context: string; readonly kind: 'probed'; readonly result: ProbeResult }
  | { readonly context: string; readonly kind: 'not-probed'; readonly reason: string };

export async function probeImportBeforeSave(
  filePath: string,
  text: string,
  contexts: readonly string[],
  opts: { readonly timeoutMs: number; readonly signal?: AbortSignal },
): Promise<PreSaveProbe[]> {
  const parsed = parseKubeconfig(text);
  const list = parsed.ok ? buildClusterList([{ path: filePath, origin: 'setting', state: { kind: 'ok', config: parsed.config } }]) : undefined;
  return Promise.all(
    contexts.map(async (context): Promise<PreSaveProbe> => {
      const entry = list?.clusters.find((c) => c.contextName === context);
      const resolved = entry ? list?.resolved.get(entry.id) : undefined;
      const reason = whyNotProbedBeforeSave(resolved?.user.fields);
      if (reason) return { context, kind: 'not-probed', reason };
      // No `programs`, and a provider whose runner refuses to run: probeEditedKubeconfig runs nothing.
      const result = await probeEditedKubeconfig(filePath, text, context, {
        timeoutMs: opts.timeoutMs,
        credentialProvider: (ctx) => credentialProviderForContext(ctx, { trusted: false, runner: NOTHING_RUNS, timeoutMs: opts.timeoutMs }),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return { context, kind: 'probed', result };
    }),
  );
}
