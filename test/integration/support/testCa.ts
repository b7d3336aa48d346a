// A certificate authority made for one test run (openssl, in a private temporary folder) and a serving certificate
// it signs for loopback (IP 127.0.0.1 and localhost): a loopback https server that clients verify against this CA
// only, so TLS stays verified in tests without trusting anything on the machine.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { privateDir } from './programFixtures.ts';

const run = promisify(execFile);

export interface TestCa {
  /** PEM of the CA certificate: what a client trusts. */
  readonly ca: string;
  /** PEM key and certificate for a loopback server, signed by the CA. */
  readonly key: string;
  readonly cert: string;
}

export async function makeTestCa(): Promise<TestCa> {
  const { dir, remove } = await privateDir('liqo-testca-');
  try {
    const f = (n: string): string => path.join(dir, n);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await run('openssl', ['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=liqo-vscode test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
    await run('openssl', ['req', '-new', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
    await writeFile(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    await run('openssl', ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '2', '-extfile', f('ext.cnf')]);
    const [ca, key, cert] = await Promise.all([readFile(f('ca.crt'), 'utf8'), readFile(f('server.key'), 'utf8'), readFile(f('server.crt'), 'utf8')]);
    return { ca, key, cert };
  } finally {
    await remove();
  }
}
