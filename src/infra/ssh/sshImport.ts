// Import Kubeconfig over SSH up to the point of saving: fetch the file (first existing path), draft the edits
// (k3s rename, server → host), read the live certificate of each rewritten server and set tls-server-name where
// the certificate does not name the host. Returns text for the user to review; writes nothing.
import { draftImport, withTlsNames, type ImportDraft } from '../../core/ssh/importPlan.ts';
import type { CertificateNames } from '../../core/kubeconfig/tlsServerName.ts';
import type { SshClientOptions, SshTarget } from '../../core/ssh/sshTarget.ts';
import { KubeconfigEditError } from '../../core/kubeconfig/editError.ts';
import { readCertificateNames } from '../cluster/serverCertificate.ts';
import type { ProcessRunner } from '../process/runner.ts';
import { fetchRemoteKubeconfig } from './fetchKubeconfig.ts';
import { SshError } from './sshError.ts';

export interface SshImportRequest {
  readonly target: SshTarget;
  readonly paths: readonly string[];
  readonly sudo: boolean;
  /** The name for k3s's `default` entries. */
  readonly name: string;
  readonly client?: SshClientOptions;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly sshPath?: string;
}

export interface PreparedImport {
  /** The remote path the file was found at. */
  readonly remotePath: string;
  /** The file as fetched (for the diff), and the draft to save. */
  readonly fetched: string;
  readonly draft: ImportDraft;
}

export async function prepareSshImport(runner: ProcessRunner, req: SshImportRequest): Promise<PreparedImport> {
  const fetched = await fetchRemoteKubeconfig(runner, req.target, {
    paths: req.paths,
    sudo: req.sudo,
    timeoutMs: req.timeoutMs,
    ...(req.client ? { client: req.client } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    ...(req.sshPath ? { sshPath: req.sshPath } : {}),
  });
  let draft: ImportDraft;
  try {
    draft = draftImport(fetched.text, { name: req.name, host: req.target.host });
  } catch (err) {
    if (err instanceof KubeconfigEditError) throw new SshError('not-a-kubeconfig', `${fetched.path} on ${req.target.host} is not a usable kubeconfig: ${err.message}. Nothing was saved.`);
    throw err;
  }
  if (draft.contexts.length === 0) throw new SshError('not-a-kubeconfig', `${fetched.path} on ${req.target.host} holds no context: it is not a kubeconfig. Enter the right path.`);
  const names = new Map<string, CertificateNames | undefined>();
  await Promise.all(
    draft.rewritten.map(async (r) => {
      const opts = { timeoutMs: Math.min(req.timeoutMs, 8000), ...(req.signal ? { signal: req.signal } : {}) };
      names.set(r.server, await readCertificateNames(r.server, opts).catch(() => undefined));
    }),
  );
  return { remotePath: fetched.path, fetched: fetched.text, draft: withTlsNames(draft, names) };
}
