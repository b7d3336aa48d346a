// Which proxy a connection to an API server goes through, as kubectl decides it: the cluster's `proxy-url` wins;
// otherwise the environment, with Go's http.ProxyFromEnvironment semantics (golang.org/x/net/http/httpproxy):
//  - HTTPS_PROXY (then https_proxy) for https servers, HTTP_PROXY (then http_proxy) for http ones; no fallback from
//    one to the other; a value without a scheme means http://;
//  - never for `localhost` or a loopback IP, whatever NO_PROXY says (so a test bed or an SSH tunnel on 127.0.0.1 is
//    reached directly, as kubectl reaches it);
//  - NO_PROXY (then no_proxy): comma-separated; `*` matches everything; an IP or CIDR matches addresses; `foo.com`
//    matches foo.com and its subdomains, `.foo.com` and `*.foo.com` only subdomains; `host:port` only that port.
// Proxies spoken: http:// (CONNECT tunnel) and socks5:// (socks5h:// is the same here: the proxy resolves names).
// Pure: the caller passes the environment.

export type ProxyScheme = 'http' | 'socks5';

export interface ProxySpec {
  readonly scheme: ProxyScheme;
  readonly host: string;
  readonly port: number;
  /** http: `Basic …` when the proxy URL carries user:password. */
  readonly authorization?: string;
  /** socks5: username/password authentication (RFC 1929) when the URL carries them. */
  readonly username?: string;
  readonly password?: string;
  /** Where it came from, for messages: `proxy-url` or the variable's name. Never the URL (it may hold a password). */
  readonly source: string;
}

export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

export type ProxyResult = { readonly ok: true; readonly proxy: ProxySpec | undefined } | { readonly ok: false; readonly message: string };

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'socks5:': 1080, 'socks5h:': 1080 };

/** A proxy URL as kubectl accepts it. `implicitHttp`: a bare `host:port` means http:// (environment values). */
export function parseProxyUrl(raw: string, source: string, implicitHttp: boolean): ProxyResult {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  // A value without a scheme (`proxy.corp:3128`, which URL reads as scheme `proxy.corp:`) means http://.
  if (implicitHttp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    try {
      url = new URL(`http://${raw}`);
    } catch {
      url = undefined;
    }
  }
  if (!url || !url.hostname) return { ok: false, message: `${source} ${redactUserinfo(raw)} is not a proxy URL: use http://host:port or socks5://host:port` };
  if (url.protocol === 'https:') {
    return { ok: false, message: `${source} is an https:// proxy (TLS to the proxy), which the Liqo view does not speak: use the proxy's http:// or socks5:// address` };
  }
  if (!(url.protocol in DEFAULT_PORTS)) return { ok: false, message: `${source} uses ${url.protocol}//, which is not a proxy scheme kubectl knows: use http:// or socks5://` };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol]!;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  if (url.protocol === 'http:') {
    return { ok: true, proxy: { scheme: 'http', host, port, source, ...(user ? { authorization: `Basic ${btoa(`${user}:${pass}`)}` } : {}) } };
  }
  return { ok: true, proxy: { scheme: 'socks5', host, port, source, ...(user ? { username: user, password: pass } : {}) } };
}

function redactUserinfo(raw: string): string {
  return raw.replace(/\/\/[^/@]*@/, '//<user>@');
}

const envAny = (env: ProxyEnvironment, ...names: string[]): { name: string; value: string } | undefined => {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
};

function ipv4(host: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

/** 16 bytes of an IPv6 address (also ::ffff:a.b.c.d), or undefined. */
function ipv6(host: string): number[] | undefined {
  if (!host.includes(':') || !/^[0-9a-fA-F:.]+$/.test(host)) return undefined;
  let text = host;
  const tail: number[] = [];
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = ipv4(v4[1]!);
    if (!b) return undefined;
    tail.push(...b);
    text = `${text.slice(0, v4.index)}:0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const group = (s: string): number[] | undefined => {
    if (s === '') return [];
    const gs = s.split(':');
    if (gs.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return gs.map((g) => parseInt(g, 16));
  };
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The address as bytes (4 or 16; an IPv4-mapped IPv6 address as its 4), or undefined for a name. */
export function ipBytes(host: string): number[] | undefined {
  const h = host.replace(/^\[(.*)\]$/, '$1');
  const v4 = ipv4(h);
  if (v4) return v4;
  const v6 = ipv6(h);
  if (!v6) return undefined;
  const mapped = v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? v6.slice(12) : v6;
}

function isLoopback(ip: number[]): boolean {
  if (ip.length === 4) return ip[0] === 127;
  return ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1;
}

function inCidr(ip: number[], net: number[], bits: number): boolean {
  if (ip.length !== net.length) return false;
  for (let i = 0; i < ip.length; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    if (take === 0) return true;
    const mask = (0xff << (8 - take)) & 0xff;
    if ((ip[i]! & mask) !== (net[i]! & mask)) return false;
  }
  return true;
}

/** Whether NO_PROXY (Go's rules, see the header) says this host and port go direct. */
export function bypassesProxy(noProxy: string, host: string, port: number): boolean {
  const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase().replace(/\.$/, '');
  const ip = ipBytes(name);
  for (const rawEntry of noProxy.split(',')) {
    const entry = rawEntry.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      const net = ipBytes(cidr[1]!);
      if (net && ip && inCidr(ip, net, Number(cidr[2]))) return true;
      continue;
    }
    // host:port, [v6]:port, or a bare host / IP (a bare IPv6 has colons too).
    let entryHost = entry;
    let entryPort: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      entryHost = bracketed[1]!;
      entryPort = bracketed[2] ? Number(bracketed[2]) : undefined;
    } else if (!ipBytes(entry)) {
      const hp = /^(.*):(\d+)$/.exec(entry);
      if (hp) {
        entryHost = hp[1]!;
        entryPort = Number(hp[2]);
      }
    }
    if (entryHost === '') continue;
    const portOk = entryPort === undefined || entryPort === port;
    const entryIp = ipBytes(entryHost);
    if (entryIp) {
      if (ip && portOk && entryIp.length === ip.length && entryIp.every((b, i) => b === ip[i])) return true;
      continue;
    }
    let suffix = entryHost.replace(/\.$/, '');
    if (suffix.startsWith('*.')) suffix = suffix.slice(1);
    const matchHost = !suffix.startsWith('.');
    if (matchHost) suffix = `.${suffix}`;
    if ((name.endsWith(suffix) || (matchHost && name === suffix.slice(1))) && portOk) return true;
  }
  return false;
}

/** The proxy the environment gives a connection to this server, per Go's ProxyFromEnvironment. */
export function proxyFromEnvironment(env: ProxyEnvironment, target: { readonly protocol: 'https:' | 'http:'; readonly host: string; readonly port: number }): ProxyResult {
  const variable = target.protocol === 'https:' ? envAny(env, 'HTTPS_PROXY', 'https_proxy') : envAny(env, 'HTTP_PROXY', 'http_proxy');
  if (!variable) return { ok: true, proxy: undefined };
  const host = target.host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const ip = ipBytes(host);
  if (host === 'localhost' || (ip && isLoopback(ip))) return { ok: true, proxy: undefined };
  const noProxy = envAny(env, 'NO_PROXY', 'no_proxy');
  if (noProxy && bypassesProxy(noProxy.value, host, target.port)) return { ok: true, proxy: undefined };
  return parseProxyUrl(variable.value, variable.name, true);
}
