// Fetching a kubeconfig from a host over ssh, as data: the paths to try (k3s, k0s, then the user's own), the POSIX
// sh script sent on stdin (`ssh host sh -s`, so the user's login shell never parses it and no path is quoted
// through two shells), and the parsing of what it prints. sudo runs only when asked, always `sudo -n`, so a
// password prompt is an exit code and a message, never a hang.
import { SshInputError } from './sshTarget.ts';

/** Where k3s, k0s and kubectl keep an admin kubeconfig, in the order the import tries them. */
export const DEFAULT_REMOTE_PATHS: readonly string[] = ['/etc/rancher/k3s/k3s.yaml', '/var/lib/k0s/pki/admin.conf', '~/.kube/config'];

/** Exit codes of the fetch script; ssh's own failures exit 255. */
export const FETCH_EXIT = { unreadable: 65, missing: 66, sudoPassword: 67, sudoMissing: 68 } as const;

/** The first stdout line names the index of the path found; the file follows byte for byte. */
const FOUND = 'liqo-kubeconfig-found:';

export function checkRemotePath(p: string): void {
  if (p === '' || /[\u0000-\u001f\u007f]/.test(p) || !(p.startsWith('/') || p.startsWith('~/'))) {
    throw new SshInputError(`"${p}" is not a remote path: use an absolute path (/etc/rancher/k3s/k3s.yaml) or one under ~/`);
  }
}

/** POSIX sh single quoting: the word as is, whatever it holds. */
export function shQuote(word: string): string {
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

/** `~/x` is the remote user's home ("$HOME"/'x'), everything else literal. */
function shPath(p: string): string {
  return p.startsWith('~/') ? `"$HOME"/${shQuote(p.slice(2))}` : shQuote(p);
}

export function fetchScript(paths: readonly string[], sudo: boolean): string {
  if (paths.length === 0) throw new SshInputError('No remote path to try: enter the path of the kubeconfig on the host');
  for (const p of paths) checkRemotePath(p);
  const asRoot = sudo ? 'sudo -n ' : '';
  const lines = ['set -u'];
  if (sudo) {
    lines.push(
      `command -v sudo >/dev/null 2>&1 || { echo 'sudo: not installed' >&2; exit ${FETCH_EXIT.sudoMissing}; }`,
      `sudo -n true || exit ${FETCH_EXIT.sudoPassword}`,
    );
  }
  lines.push('i=0');
  // Each path: the index is printed before the file so the caller knows which one was found without a second run.
  lines.push(`for p in ${paths.map(shPath).join(' ')}; do`);
  lines.push(`  if ${asRoot}test -e "$p"; then`);
  if (!sudo) lines.push(`    if ! test -r "$p"; then echo "unreadable: $p" >&2; exit ${FETCH_EXIT.unreadable}; fi`);
  lines.push(`    echo "${FOUND}$i"`, `    exec ${asRoot}cat -- "$p"`, '  fi', '  i=$((i+1))', 'done');
  lines.push(`exit ${FETCH_EXIT.missing}`);
  return `${lines.join('\n')}\n`;
}

/** The remote command: sh reading the script from stdin. */
export const FETCH_COMMAND: readonly string[] = ['sh', '-s'];

export interface FetchedKubeconfig {
  readonly path: string;
  readonly text: string;
}

/**
 * What a successful run printed; undefined when it is not the script's output. Lines a chatty login script printed
 * before the marker (an rc file's echo) are skipped; everything after the marker line is the file.
 */
export function parseFetchOutput(stdout: string, paths: readonly string[]): FetchedKubeconfig | undefined {
  const at = stdout.startsWith(FOUND) ? 0 : stdout.indexOf(`\n${FOUND}`) + 1;
  if (at === 0 && !stdout.startsWith(FOUND)) return undefined;
  const nl = stdout.indexOf('\n', at);
  if (nl < 0) return undefined;
  const index = Number(stdout.slice(at + FOUND.length, nl));
  const path = paths[index];
  if (!Number.isInteger(index) || path === undefined) return undefined;
  return { path, text: stdout.slice(nl + 1) };
}

/** The name proposed for k3s's `default` entries: the host as typed (without IPv6 brackets). */
export function defaultImportName(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}
