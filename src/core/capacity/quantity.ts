// Kubernetes resource quantities (apimachinery's resource.Quantity text form) as numbers of base units, and back to
// the short forms users read. Numbers, not exact decimals: the figures are shown, never written back to a cluster.

const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** `500m` → 0.5, `1Gi` → 1073741824, `1e3` → 1000; undefined when the text is not a quantity. */
export function parseQuantity(text: string): number | undefined {
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]! + (m[2] ?? ''));
  const factor = m[3] ? (BINARY[m[3]] ?? DECIMAL[m[3]]!) : 1;
  return n * factor;
}

/** Removes float noise from sums of decimal quantities (0.1 + 0.2 cores). */
function tidy(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

/** cpu in cores as kubectl shows it: `250m`, `1500m` under 10 cores, `12` above. */
export function formatCpuCores(cores: number): string {
  const c = tidy(cores);
  if (Number.isInteger(c)) return String(c);
  return `${Math.round(c * 1000)}m`;
}

/** bytes in the largest binary unit that keeps one decimal: `1.5Gi`, `512Mi`, `0`. */
export function formatBytes(bytes: number): string {
  if (bytes === 0) return '0';
  for (const [u, f] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes >= f) {
      const v = Math.round((bytes / f) * 10) / 10;
      return `${v}${u}`;
    }
  }
  return String(tidy(bytes));
}

/** A quantity of the named resource in the form users read. */
export function formatQuantity(resource: string, value: number): string {
  if (resource === 'cpu') return formatCpuCores(value);
  if (resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-')) return formatBytes(value);
  return String(tidy(value));
}
