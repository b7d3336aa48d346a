// Seeded generators of kubeconfig texts in the layouts people and tools write, and of the hand-edit mutations that
// break them: shared by the property runs over kubeconfig edits and over the subset YAML reader.
import { mulberry32 } from './seededRandom.ts';
export { mulberry32 };

export type Rand = () => number;
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const NAMES = ['default', 'lab', 'edge', 'kind-a', 'arn:aws:eks:eu-west-1:1:cluster/p', '123', 'true', 'with space', "it's", 'x#y', 'héllo', 'a,b', 'null', 'gke_p_z_c', 'c-1'];

export function scalar(r: Rand, v: string): string {
  const style = r();
  if (style < 0.2) return JSON.stringify(v);
  if (style < 0.35) return `'${v.replace(/'/g, "''")}'`;
  return /^[A-Za-z0-9_./:-]+$/.test(v) && !/^(?:true|false|null|\d+)$/.test(v) && !v.endsWith(':') ? v : JSON.stringify(v);
}

export function comment(r: Rand): string {
  return r() < 0.15 ? `   # ${pick(r, ['note', 'keep me', 'TODO: rotate'])}` : '';
}

/** One kubeconfig text in one of the layouts people and tools write. */
export function generate(r: Rand): string {
  const ind = r() < 0.5 ? '' : '  ';
  const nc = Math.floor(r() * 5);
  const clusterNames = Array.from({ length: Math.floor(r() * 4) + (nc > 0 ? 1 : 0) }, () => pick(r, NAMES));
  const userNames = Array.from({ length: Math.floor(r() * 3) + 1 }, () => pick(r, NAMES));
  const lines: string[] = [];
  if (r() < 0.3) lines.push('# generated');
  lines.push('apiVersion: v1', 'kind: Config');
  if (r() < 0.3) lines.push(`x-extra: {a: 1, b: [x, y]}${comment(r)}`);
  const anchorCa = r() < 0.2;
  const block = (key: string, items: string[][]): void => {
    if (items.length === 0) {
      lines.push(pick(r, [`${key}: []`, `${key}:`, `${key}: null`]));
      return;
    }
    lines.push(`${key}:`);
    for (const it of items) {
      if (r() < 0.1) lines.push(`${ind}# before an item`);
      it.forEach((l, i) => lines.push(`${ind}${i === 0 ? '- ' : '  '}${l}`));
    }
  };
  const clusters = clusterNames.map((n, i) => {
    const server = `https://${pick(r, ['127.0.0.1', '0.0.0.0', '127.0.0.5', '127.0.0.8', 'localhost'])}:${6443 + i}`;
    if (r() < 0.25) return [`name: ${scalar(r, n)}`, `cluster: {server: ${scalar(r, server)}, certificate-authority-data: Q0E=}`];
    const body = [`  server: ${scalar(r, server)}${comment(r)}`, `  certificate-authority-data: ${anchorCa && i === 0 ? '&ca ' : anchorCa && i > 0 && r() < 0.5 ? '' : ''}Q0E${i}`];
    if (r() < 0.2) body.push('  tls-server-name: 127.0.0.5');
    if (r() < 0.2) body.push('  extensions:', '  - name: x', '    extension: {k: v}');
    if (anchorCa && i > 0 && r() < 0.5) body[1] = '  certificate-authority-data: *ca';
    const entry = [`cluster:`, ...body, `name: ${scalar(r, n)}`];
    return r() < 0.5 ? entry : [entry[entry.length - 1]!, ...entry.slice(0, -1)];
  });
  const users = userNames.map((n) => (r() < 0.3 ? [`name: ${scalar(r, n)}`, `user: {token: dG9r}`] : [`name: ${scalar(r, n)}`, 'user:', '  client-certificate-data: Q0VSVA==', '  client-key-data: S0VZ']));
  const contexts = Array.from({ length: nc }, () => {
    const n = pick(r, NAMES);
    const c = clusterNames.length > 0 && r() < 0.92 ? pick(r, clusterNames) : 'missing';
    const u = pick(r, userNames);
    return r() < 0.3 ? [`name: ${scalar(r, n)}`, `context: {cluster: ${scalar(r, c)}, user: ${scalar(r, u)}}`] : [`context:`, `  cluster: ${scalar(r, c)}${comment(r)}`, `  user: ${scalar(r, u)}`, ...(r() < 0.3 ? ['  namespace: liqo'] : []), `name: ${scalar(r, n)}`];
  });
  const order = [() => block('clusters', clusters), () => block('contexts', contexts), () => block('users', users)];
  if (r() < 0.3) order.reverse();
  for (const f of order) f();
  if (r() < 0.6) lines.push(`current-context: ${scalar(r, pick(r, NAMES))}`);
  if (r() < 0.2) lines.push('# trailing comment');
  const eol = r() < 0.1 ? '\r\n' : '\n';
  return lines.join(eol) + (r() < 0.85 ? eol : '');
}

/** Mutations that break files the way hand edits do. */
export function mutate(r: Rand, text: string): string {
  const lines = text.split('\n');
  const i = Math.floor(r() * lines.length);
  switch (Math.floor(r() * 6)) {
    case 0:
      lines.splice(i, 1);
      break;
    case 1:
      lines.splice(i, 0, lines[i] ?? '');
      break;
    case 2:
      lines[i] = (lines[i] ?? '') + pick(r, [' {', ': x', ' ]', "'", '\t#']);
      break;
    case 3:
      lines[i] = ' ' + (lines[i] ?? '');
      break;
    default:
      return text.replace(/name: ([^\n]*)/, (_m, n: string) => `name: ${n === 'lab' ? 'edge' : 'lab'}`);
  }
  return lines.join('\n');
}
