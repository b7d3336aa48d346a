// The fingerprint of a context's certificate authority: SHA-256 over each certificate's DER bytes (what
// `openssl x509 -fingerprint -sha256` prints), so a record says which CA was trusted without holding the CA itself.
import { createHash } from 'node:crypto';

const PEM_CERT = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/** One `AB:CD:…` fingerprint per certificate in a PEM bundle, in bundle order; none for text without one. */
export function caFingerprints(pem: string): string[] {
  const out: string[] = [];
  for (const m of pem.matchAll(PEM_CERT)) {
    const der = Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64');
    if (der.length === 0) continue;
    const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
    out.push(hex.match(/../g)?.join(':') ?? hex);
  }
  return out;
}

/** The same from a kubeconfig's `certificate-authority-data` (base64 of the PEM text). */
export function caDataFingerprints(data: string): string[] {
  return caFingerprints(Buffer.from(data.replace(/\s+/g, ''), 'base64').toString('utf8'));
}
