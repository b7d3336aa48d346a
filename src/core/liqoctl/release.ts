// Where a liqoctl release lives and how its checksum is read. Liqo publishes `liqoctl-<os>-<arch>.tar.gz` (liqoctl
// and LICENSE inside) under `<base>/<tag>/`; the expected SHA-256 comes from a `<asset>.sha256` file or a
// `checksums.txt` / `sha256sums.txt` in sha256sum format beside it. The base URL is a setting, so a mirror (or a
// test's local server) serves the same layout.

export const DEFAULT_DOWNLOAD_BASE_URL = 'https://github.com/liqotech/liqo/releases/download';

export type ReleaseOs = 'linux' | 'darwin' | 'windows';
export type ReleaseArch = 'amd64' | 'arm64' | 'arm';

/** Node's platform/arch to Liqo's release names; undefined where Liqo publishes no build (windows/arm64). */
export function releasePlatform(platform: string, arch: string): { os: ReleaseOs; arch: ReleaseArch } | undefined {
  const os: ReleaseOs | undefined = platform === 'linux' ? 'linux' : platform === 'darwin' ? 'darwin' : platform === 'win32' ? 'windows' : undefined;
  const a: ReleaseArch | undefined = arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : arch === 'arm' ? 'arm' : undefined;
  if (!os || !a) return undefined;
  if (os === 'windows' && a !== 'amd64') return undefined;
  if (os === 'darwin' && a === 'arm') return undefined;
  return { os, arch: a };
}

export interface ReleaseAsset {
  readonly tag: string;
  readonly fileName: string;
  readonly url: string;
  /** Where the expected checksum may be, tried in order. */
  readonly checksumUrls: readonly string[];
  /** The binary's name inside the archive. */
  readonly binaryName: string;
}

export function releaseAsset(baseUrl: string, version: string, os: ReleaseOs, arch: ReleaseArch): ReleaseAsset {
  const tag = version.startsWith('v') ? version : `v${version}`;
  if (!/^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(tag)) throw new Error(`"${version}" is not a Liqo release version (e.g. v1.0.1).`);
  const base = baseUrl.replace(/\/+$/, '');
  const fileName = `liqoctl-${os}-${arch}.tar.gz`;
  const dir = `${base}/${tag}`;
  return {
    tag,
    fileName,
    url: `${dir}/${fileName}`,
    checksumUrls: [`${dir}/${fileName}.sha256`, `${dir}/checksums.txt`, `${dir}/sha256sums.txt`],
    binaryName: os === 'windows' ? 'liqoctl.exe' : 'liqoctl',
  };
}

/** The hex SHA-256 for `fileName` in a checksum file (a bare digest, or `digest  name` lines). */
export function checksumFor(text: string, fileName: string): string | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  for (const line of lines) {
    const m = /^([0-9a-fA-F]{64})(?:\s+\*?(\S+))?$/.exec(line);
    if (!m?.[1]) continue;
    const name = m[2];
    if (name === undefined) {
      if (lines.length === 1) return m[1].toLowerCase();
      continue;
    }
    if (name === fileName || name.endsWith(`/${fileName}`)) return m[1].toLowerCase();
  }
  return undefined;
}
