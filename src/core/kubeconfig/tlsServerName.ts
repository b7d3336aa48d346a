// Chooses tls-server-name for a rewritten server address: none when the certificate already names the new host,
// otherwise a name the certificate holds (the old host first, then a DNS name, then an IP), so TLS stays verified
// instead of being switched off.

export interface CertificateNames {
  readonly dns: readonly string[];
  readonly ips: readonly string[];
}

/** Splits Node's `subjectaltname` ("DNS:a, IP Address:1.2.3.4") into DNS names and IPs. */
export function parseSubjectAltNames(san: string | undefined): CertificateNames {
  const dns: string[] = [];
  const ips: string[] = [];
  for (const part of (san ?? '').split(/,\s*/)) {
    if (part.startsWith('DNS:')) dns.push(part.slice(4).toLowerCase());
    else if (part.startsWith('IP Address:')) ips.push(part.slice(11).toLowerCase());
  }
  return { dns, ips };
}

export function certificateNames(names: CertificateNames, host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (names.ips.includes(h)) return true;
  return names.dns.some((d) => d === h || (d.startsWith('*.') && h.endsWith(d.slice(1)) && !h.slice(0, -d.length + 1).includes('.')));
}

export type TlsNameChoice = { readonly needed: false } | { readonly needed: true; readonly name: string } | { readonly needed: true; readonly name: undefined };

export function chooseTlsServerName(newHost: string, names: CertificateNames, oldHost?: string): TlsNameChoice {
  if (certificateNames(names, newHost)) return { needed: false };
  if (oldHost && certificateNames(names, oldHost)) return { needed: true, name: oldHost };
  const name = names.dns.find((d) => !d.startsWith('*.')) ?? names.ips[0];
  return { needed: true, name };
}

/** The names a certificate holds, as a user can type them for tls-server-name (wildcards are not a host name). */
export function heldNames(names: CertificateNames): string[] {
  return [...names.dns.filter((d) => !d.startsWith('*.')), ...names.ips];
}

/** Why a typed tls-server-name would not verify against that certificate, or undefined when it would. */
export function tlsServerNameProblem(typed: string, names: CertificateNames): string | undefined {
  const name = typed.trim();
  if (name === '') return 'Type a name the certificate holds.';
  if (certificateNames(names, name)) return undefined;
  const held = heldNames(names);
  return held.length === 0 ? 'The certificate names no host or IP.' : `The certificate does not name ${name}: use one of ${held.join(', ')}.`;
}
