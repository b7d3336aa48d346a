// liqoctl's own version and the Liqo version a cluster runs (the controller-manager image tag, as liqoctl reads
// it), and whether the two fit. Micro versions matter: seed 003 failed on a v1.0.0 liqoctl against v1.0.1 Liqo,
// so any difference is reported; only its severity depends on which part differs.
import { requireSuccess, type LiqoctlCommand } from './command.ts';

export interface LiqoVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** `rc.1` in v1.1.0-rc.1; empty for a release. */
  readonly prerelease: string;
  /** As written (v1.0.1, 1.0.1, a commit sha for development builds). */
  readonly raw: string;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** The version in a tag such as `v1.0.1`; undefined for `unknown`, a sha or anything else that is not semver. */
export function parseLiqoVersion(text: string): LiqoVersion | undefined {
  const raw = text.trim();
  const m = SEMVER.exec(raw);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ?? '', raw };
}

/** Negative, zero or positive as a sorts before, with or after b (a pre-release sorts before its release). */
export function compareLiqoVersions(a: LiqoVersion, b: LiqoVersion): number {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (d !== 0) return d;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === '') return 1;
  if (b.prerelease === '') return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

/** The tag of the image, as liqoctl's GetContainerImageVersion takes it (the text after the last `:`). */
export function imageTag(image: string): string | undefined {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(colon + 1) : undefined;
}

interface DeploymentLike {
  spec?: { template?: { spec?: { containers?: Array<{ name?: string; image?: string }> } } };
}

/** The Liqo version of a cluster from its controller-manager Deployment (container `controller-manager`). */
export function liqoVersionOfDeployment(deployment: unknown): string | undefined {
  const containers = (deployment as DeploymentLike | undefined)?.spec?.template?.spec?.containers ?? [];
  const c = containers.find((x) => x.name === 'controller-manager');
  return c?.image ? imageTag(c.image) : undefined;
}

/** The label selector liqoctl uses to find the controller-manager Deployment in the Liqo namespace. */
export const CONTROLLER_MANAGER_SELECTOR = 'app.kubernetes.io/name=controller-manager,app.kubernetes.io/component=controller-manager';

export type VersionFit = 'same' | 'patch' | 'minor' | 'major' | 'unknown';

export interface VersionCheck {
  readonly fit: VersionFit;
  /** Empty when the versions are the same; otherwise a sentence naming both. */
  readonly message: string;
}

/** How liqoctl's version fits a cluster's Liqo; every difference, down to the micro version, gets a message. */
export function checkVersions(liqoctl: string, cluster: string, clusterName: string): VersionCheck {
  const a = parseLiqoVersion(liqoctl);
  const b = parseLiqoVersion(cluster);
  if (!a || !b) {
    if (liqoctl.trim() === cluster.trim()) return { fit: 'same', message: '' };
    return {
      fit: 'unknown',
      message: `Cannot compare liqoctl ${liqoctl || '(unknown)'} with Liqo ${cluster || '(unknown)'} on ${clusterName}: one of them is not a release version. Use the liqoctl that matches the cluster's Liqo.`,
    };
  }
  if (compareLiqoVersions(a, b) === 0) return { fit: 'same', message: '' };
  const fit: VersionFit = a.major !== b.major ? 'major' : a.minor !== b.minor ? 'minor' : 'patch';
  return {
    fit,
    message:
      `liqoctl is ${a.raw} but ${clusterName} runs Liqo ${b.raw}` +
      (fit === 'patch' ? ' (micro versions differ, and they matter: peering and offloading can fail in ways that are hard to trace)' : '') +
      `. Use liqoctl ${b.raw}.`,
  };
}

export interface LiqoctlVersionOutput {
  readonly client: string;
  /** Absent with --client or when the cluster could not tell. */
  readonly server?: string;
}

/** `liqoctl version --client`: no cluster needed. */
export function versionCommand(): LiqoctlCommand<LiqoctlVersionOutput> {
  return {
    args: ['version', '--client'],
    title: 'version',
    parse: (out) => {
      requireSuccess(out);
      return parseVersionOutput(out.stdout);
    },
  };
}

export function parseVersionOutput(stdout: string): LiqoctlVersionOutput {
  const client = /Client version:\s*(\S+)/.exec(stdout)?.[1];
  if (!client) throw new Error(`liqoctl's version output was not understood: ${JSON.stringify(stdout.slice(0, 200))}`);
  const server = /Server version:\s*(\S+)/.exec(stdout)?.[1];
  return server && server !== 'Unknown' ? { client, server } : { client };
}
