// Certificates for one cluster, made with the openssl CLI: a CA of its own (clusters do not trust each other),
// the API server's serving certificate, an admin client certificate (system:masters), kwok's kubelet serving
// certificate and the service-account signing key. ECDSA P-256 keys: fast to make, accepted everywhere.
// Also what API aggregation needs (as kubeadm sets it up): a front-proxy CA and the API server's proxy client
// certificate signed by it, and a serving certificate for metrics-server (the scenarios that run it).
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

export interface ClusterPki {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  kwokCert: string;
  kwokKey: string;
  saKey: string;
  saPub: string;
  /** the requestheader CA: aggregated API servers trust requests proxied by a client it signed */
  frontProxyCaCert: string;
  frontProxyCaKey: string;
  /** the API server's client certificate when it proxies to an aggregated API server (CN front-proxy-client) */
  frontProxyClientCert: string;
  frontProxyClientKey: string;
  /** metrics-server's serving certificate: the name the aggregator checks (metrics-server.kube-system.svc) */
  metricsServerCert: string;
  metricsServerKey: string;
}

/** The CN the API server's proxy client certificate carries (its --requestheader-allowed-names). */
export const FRONT_PROXY_CLIENT = 'front-proxy-client';

export function pkiPaths(dir: string): ClusterPki {
  const p = (name: string) => path.join(dir, name);
  return {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    apiserverCert: p('apiserver.crt'),
    apiserverKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    kwokCert: p('kwok.crt'),
    kwokKey: p('kwok.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
    frontProxyCaCert: p('front-proxy-ca.crt'),
    frontProxyCaKey: p('front-proxy-ca.key'),
    frontProxyClientCert: p('front-proxy-client.crt'),
    frontProxyClientKey: p('front-proxy-client.key'),
    metricsServerCert: p('metrics-server.crt'),
    metricsServerKey: p('metrics-server.key'),
  };
}

interface CertSpec {
  name: string;
  subject: Record<string, string>;
  extensions: Record<string, string>;
}

async function openssl(args: string[]): Promise<void> {
  try {
    await execa('openssl', args, { stdin: 'ignore' });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error('openssl not found on PATH: install it (apt-get install openssl) and retry.');
    throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}

async function makeCert(dir: string, spec: CertSpec, ca?: { cert: string; key: string }): Promise<void> {
  const conf = path.join(dir, `${spec.name}.cnf`);
  const dn = Object.entries(spec.subject).map(([k, v]) => `${k} = ${v}`);
  const ext = Object.entries(spec.extensions).map(([k, v]) => `${k} = ${v}`);
  fs.writeFileSync(
    conf,
    ['[req]', 'prompt = no', 'distinguished_name = dn', 'x509_extensions = ext', '[dn]', ...dn, '[ext]', ...ext, ''].join('\n'),
  );
  const args = ['req', '-x509', '-new', '-config', conf, '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  args.push('-keyout', path.join(dir, `${spec.name}.key`), '-out', path.join(dir, `${spec.name}.crt`), '-days', '3650');
  if (ca) args.push('-CA', ca.cert, '-CAkey', ca.key);
  await openssl(args);
}

export async function createClusterPki(dir: string, cluster: string): Promise<ClusterPki> {
  fs.mkdirSync(dir, { recursive: true });
  const pki = pkiPaths(dir);
  const caExtensions = { basicConstraints: 'critical,CA:TRUE', keyUsage: 'critical,keyCertSign,cRLSign,digitalSignature', subjectKeyIdentifier: 'hash' };
  await Promise.all([
    makeCert(dir, { name: 'ca', subject: { CN: `${cluster}-ca` }, extensions: caExtensions }),
    makeCert(dir, { name: 'front-proxy-ca', subject: { CN: `${cluster}-front-proxy-ca` }, extensions: caExtensions }),
  ]);
  const ca = { cert: pki.caCert, key: pki.caKey };
  const server = (sans: string) => ({
    basicConstraints: 'critical,CA:FALSE',
    keyUsage: 'critical,digitalSignature',
    extendedKeyUsage: 'serverAuth',
    subjectAltName: sans,
  });
  await Promise.all([
    makeCert(
      dir,
      {
        name: 'apiserver',
        subject: { CN: 'kube-apiserver' },
        extensions: server('IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local'),
      },
      ca,
    ),
    makeCert(
      dir,
      {
        name: 'admin',
        subject: { O: 'system:masters', CN: 'kubernetes-admin' },
        extensions: { basicConstraints: 'critical,CA:FALSE', keyUsage: 'critical,digitalSignature', extendedKeyUsage: 'clientAuth' },
      },
      ca,
    ),
    makeCert(
      dir,
      {
        name: 'front-proxy-client',
        subject: { CN: FRONT_PROXY_CLIENT },
        extensions: { basicConstraints: 'critical,CA:FALSE', keyUsage: 'critical,digitalSignature', extendedKeyUsage: 'clientAuth' },
      },
      { cert: pki.frontProxyCaCert, key: pki.frontProxyCaKey },
    ),
    // the aggregator dials the service's ExternalName (localhost) and checks the name <service>.<namespace>.svc
    makeCert(dir, { name: 'metrics-server', subject: { CN: 'metrics-server' }, extensions: server('DNS:metrics-server.kube-system.svc,IP:127.0.0.1,DNS:localhost') }, ca),
    makeCert(dir, { name: 'kwok', subject: { CN: `${cluster}-kwok-kubelet` }, extensions: server('IP:127.0.0.1,DNS:localhost') }, ca),
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', pki.saKey]).then(() =>
      openssl(['pkey', '-in', pki.saKey, '-pubout', '-out', pki.saPub]),
    ),
  ]);
  return pki;
}

/** A serving certificate for 127.0.0.1 signed by the cluster CA (a Liqo webhook's): `<dir>/<name>.crt|key`. */
export async function createLoopbackServingCert(dir: string, name: string, subject: string, pki: ClusterPki): Promise<{ cert: string; key: string }> {
  fs.mkdirSync(dir, { recursive: true });
  await makeCert(
    dir,
    {
      name,
      subject: { CN: subject },
      extensions: { basicConstraints: 'critical,CA:FALSE', keyUsage: 'critical,digitalSignature', extendedKeyUsage: 'serverAuth', subjectAltName: 'IP:127.0.0.1,DNS:localhost' },
    },
    { cert: pki.caCert, key: pki.caKey },
  );
  return { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
}
