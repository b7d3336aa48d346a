// Where the test bed keeps things: the repository's .testbed/ (git-ignored) holds the live state of one running
// test bed; built binaries live outside the repository in the cache chosen by build-binaries.sh.
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** State of the running test bed. LIQO_TESTBED_DIR moves it (e.g. for a second checkout on the same machine). */
// An empty value counts as unset: path.resolve('') is the working directory, which `down` would remove.
export const stateDir = path.resolve(process.env.LIQO_TESTBED_DIR || path.join(repoRoot, '.testbed'));

export const statePaths = {
  state: path.join(stateDir, 'state.json'),
  pids: path.join(stateDir, 'pids'),
  lock: path.join(stateDir, 'lock'),
  kubeconfig: path.join(stateDir, 'kubeconfig'),
  liveLogs: path.join(stateDir, 'live-logs.json'),
  /** the live scenario's virtual kubelets' metrics addresses, one file_sd JSON each (written by vk-supervisor.ts) */
  prometheusTargets: path.join(stateDir, 'prometheus-targets'),
  cluster: (name: string) => path.join(stateDir, 'clusters', name),
};

export const buildScript = path.join(import.meta.dirname, 'build-binaries.sh');
