// `liqoctl install [provider]` as data. Which flags a provider accepts is liqoctl's (v1.0.x): the generic form
// and k3s take --pod-cidr/--service-cidr, aks only --pod-cidr; kind, kubeadm and openshift read the CIDRs
// themselves (from the kube-controller-manager pod or the cluster network config); eks and gke need their cloud's
// identifiers. The argv is also rendered as one copyable shell line (quoted for POSIX shells) for the dialog.
import { requireSuccess, targetArgs, type LiqoctlCommand, type LiqoctlTarget } from './command.ts';

export type InstallProvider = '' | 'kind' | 'k3s' | 'kubeadm' | 'openshift' | 'eks' | 'gke' | 'aks';

export interface InstallOptions {
  readonly target: LiqoctlTarget;
  /** '' is liqoctl's generic install (both CIDRs required). */
  readonly provider: InstallProvider;
  readonly clusterId?: string;
  readonly clusterLabels?: Readonly<Record<string, string>>;
  readonly podCidr?: string;
  readonly serviceCidr?: string;
  readonly apiServerUrl?: string;
  readonly version?: string;
  /** Provider-specific flags (`--eks-cluster-name=…`), already `--name=value`. */
  readonly extraArgs?: readonly string[];
  readonly timeout?: string;
}

const TAKES_POD_CIDR: ReadonlySet<InstallProvider> = new Set(['', 'k3s', 'aks']);
const TAKES_SERVICE_CIDR: ReadonlySet<InstallProvider> = new Set(['', 'k3s']);
const TAKES_API_SERVER_URL: ReadonlySet<InstallProvider> = new Set(['', 'k3s']);

export function providerTakesCidrs(p: InstallProvider): { pod: boolean; service: boolean } {
  return { pod: TAKES_POD_CIDR.has(p), service: TAKES_SERVICE_CIDR.has(p) };
}

/** The install argv without the kubeconfig flags (what the user would type against their current context). */
export function installArgs(o: Omit<InstallOptions, 'target'>): string[] {
  const args = ['install'];
  if (o.provider !== '') args.push(o.provider);
  if (o.clusterId) args.push(`--cluster-id=${o.clusterId}`);
  const labels = Object.entries(o.clusterLabels ?? {});
  if (labels.length) args.push(`--cluster-labels=${labels.map(([k, v]) => `${k}=${v}`).join(',')}`);
  if (TAKES_POD_CIDR.has(o.provider) && o.podCidr) args.push(`--pod-cidr=${o.podCidr}`);
  if (TAKES_SERVICE_CIDR.has(o.provider) && o.serviceCidr) args.push(`--service-cidr=${o.serviceCidr}`);
  if (TAKES_API_SERVER_URL.has(o.provider) && o.apiServerUrl) args.push(`--api-server-url=${o.apiServerUrl}`);
  if (o.version) args.push(`--version=${o.version}`);
  if (o.timeout) args.push(`--timeout=${o.timeout}`);
  args.push(...(o.extraArgs ?? []));
  return args;
}

export function installCommand(o: InstallOptions): LiqoctlCommand<void> {
  return {
    args: [...installArgs(o), ...targetArgs(o.target)],
    title: `install Liqo on ${o.target.context ?? 'the cluster'}`,
    parse: requireSuccess,
  };
}

/** One argument quoted for a POSIX shell, only when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `liqoctl install … ` as a line to copy into a terminal. */
export function commandLine(program: string, args: readonly string[]): string {
  return [program, ...args].map(shellQuote).join(' ');
}
