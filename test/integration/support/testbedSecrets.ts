// Every secret value a test bed holds, to grep records and saved files for: each Secret's data in every cluster
// (base64 and decoded, with the credentials inside a kubeconfig or PEM found on their own) and each credential of
// the test bed's kubeconfig (token, client key and certificate, password).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { Testbed } from '../../testbed/index.ts';

const run = promisify(execFile);

const CREDENTIAL_KEYS = /^\s*-?\s*(token|client-key-data|client-certificate-data|password|private-key|privateKey)\s*:\s*(\S+)/;

/** The parts of a decoded Secret value that are secret on their own: a one-line value, PEM body lines, credential fields. */
function secretParts(decoded: string): string[] {
  const lines = decoded.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length === 1) return [lines[0]!];
  const out: string[] = [];
  for (const l of lines) {
    if (/^[A-Za-z0-9+/=]{16,}$/.test(l)) out.push(l);
    const m = CREDENTIAL_KEYS.exec(l);
    if (m?.[2]) out.push(m[2], ...secretParts(Buffer.from(m[2], 'base64').toString('utf8')).filter((x) => /^[A-Za-z0-9+/=]{16,}$/.test(x)));
  }
  return out;
}

/** Every secret value of the test bed: each Secret's data (base64 and decoded), each credential in the kubeconfig. */
export async function secretsOfTestbed(tb: Pick<Testbed, 'contexts' | 'kubectl' | 'kubeconfig'>): Promise<string[]> {
  const out: string[] = [];
  for (const ctx of tb.contexts) {
    const { stdout } = await run(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', ctx, 'get', 'secrets', '-A', '-o', 'json'], { maxBuffer: 64 << 20 });
    for (const s of (JSON.parse(stdout) as { items: { data?: Record<string, string> }[] }).items) {
      for (const v of Object.values(s.data ?? {})) {
        out.push(v);
        out.push(...secretParts(Buffer.from(v, 'base64').toString('utf8')));
      }
    }
  }
  const kc = parse(await readFile(tb.kubeconfig, 'utf8')) as { users: { user: Record<string, unknown> }[] };
  for (const u of kc.users) {
    for (const k of ['token', 'client-key-data', 'client-certificate-data', 'password']) {
      const v = u.user[k];
      if (typeof v !== 'string') continue;
      out.push(v, ...secretParts(Buffer.from(v, 'base64').toString('utf8')));
    }
  }
  return [...new Set(out.filter((v) => v.length >= 16))];
}

