/**
 * Decides whether a URL may be fetched at all: its scheme, its user info, and its host as
 * the WHATWG URL parser left it. Pure: no I/O, no DNS, no clock.
 *
 * The threat is server-side request forgery: an agent (or an upstream's redirect) steering
 * the Worker at an internal service or a cloud metadata endpoint. The URL parser has
 * already turned every odd IPv4 spelling (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`)
 * into a dotted quad and every IPv6 literal into lowercase hex, so only those canonical
 * forms need reading here; IPv6 forms that embed an IPv4 address are judged by it.
 *
 * What this does NOT cover: a Worker cannot resolve DNS itself, so a public host name that
 * resolves to a private address (`127.0.0.1.nip.io`, DNS rebinding) is not caught here;
 * Cloudflare's own network refuses such connections from Workers. This check covers
 * literal addresses and names that are local by convention. It does not follow redirects
 * either: guarded-fetch.ts calls it again at every hop.
 */

/** Why a URL is refused: a malformed or unsupported URL, or an address we will not call. */
export interface AddressProblem {
  reason: "invalid_url" | "blocked_address";
  message: string;
}

/** What a host is when it is not an ordinary public one. */
type HostKind = { kind: "metadata" | "local"; label: string };

/**
 * Pure: null when `url` may be fetched, else the reason and a message that names the host
 * only (never the path or query, which may carry an API key).
 */
export function checkAddress(url: URL, options: { allowLocalNetwork: boolean }): AddressProblem | null {
  // Anything but http(s) (file:, data:, gopher:, ...) could read local files or speak
  // other protocols to internal services.
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { reason: "invalid_url", message: `the scheme ${url.protocol} is not allowed, only http: and https:` };
  }
  // Credentials in the URL would travel to whichever host a redirect names and end up in
  // logs; connections carry secrets in headers that we control instead.
  if (url.username !== "" || url.password !== "") {
    return { reason: "invalid_url", message: "URLs with a user name or password are refused" };
  }
  const host = url.hostname;
  if (host === "") return { reason: "invalid_url", message: "the URL has no host" };

  const found = classifyHost(host);
  if (found === null) return null;
  // Metadata endpoints hand out the host's cloud credentials: refused even on a local
  // network, where ALLOW_LOCAL_NETWORK exists for self-hosted upstreams, not for these.
  if (found.kind === "metadata") {
    return { reason: "blocked_address", message: `${host} is ${found.label}, which is never called` };
  }
  if (options.allowLocalNetwork) return null;
  return {
    reason: "blocked_address",
    message: `${host} is ${found.label}; set ALLOW_LOCAL_NETWORK=true to allow local addresses`,
  };
}

/** Pure: null when `url` may be fetched, else why not. */
export function addressProblem(url: URL, options: { allowLocalNetwork: boolean }): string | null {
  return checkAddress(url, options)?.message ?? null;
}

// --- private ---

const METADATA_IPV4 = new Set([
  "169.254.169.254", // AWS, GCP, Azure, Oracle, DigitalOcean instance metadata
  "169.254.170.2", // AWS ECS task credentials
  "100.100.100.200", // Alibaba Cloud metadata
]);

/** AWS instance metadata over IPv6, fd00:ec2::254, as 16-bit groups. */
const METADATA_IPV6 = [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254];

const METADATA_NAMES = new Set([
  "metadata", // bare name GCE's resolver answers
  "metadata.google.internal",
  "metadata.goog",
  "instance-data", // AWS's name for 169.254.169.254 inside a VPC
  "instance-data.ec2.internal",
]);

/**
 * Suffixes that only a local resolver answers: mDNS (RFC 6762), ICANN's private-use
 * `.internal`, RFC 8375's `home.arpa`, and the names RFC 6762 appendix G lists as in
 * common private use.
 */
const LOCAL_SUFFIXES = ["local", "internal", "home.arpa", "lan", "intranet", "corp", "home", "private"];

/** [first address, prefix length, what it is], blocked unless local networks are allowed. */
const LOCAL_IPV4_RANGES: ReadonlyArray<readonly [string, number, string]> = [
  ["0.0.0.0", 8, "a 'this network' address"],
  ["10.0.0.0", 8, "a private address (RFC 1918)"],
  ["100.64.0.0", 10, "a carrier-grade NAT address (RFC 6598)"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local address"],
  ["172.16.0.0", 12, "a private address (RFC 1918)"],
  ["192.168.0.0", 16, "a private address (RFC 1918)"],
  ["198.18.0.0", 15, "a benchmarking address (RFC 2544)"],
  ["224.0.0.0", 4, "a multicast address"],
  // Listed before 240/4, which contains it, so the message names it.
  ["255.255.255.255", 32, "the broadcast address"],
  ["240.0.0.0", 4, "a reserved address"],
];

const IPV4_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function classifyHost(hostname: string): HostKind | null {
  if (hostname.startsWith("[") && hostname.endsWith("]")) {
    const groups = parseIpv6(hostname.slice(1, -1));
    // Fail closed: a literal we cannot read is one we cannot vouch for.
    if (groups === null) return { kind: "local", label: "an IPv6 address that could not be read" };
    return classifyIpv6(groups);
  }
  const ipv4 = parseIpv4(hostname);
  if (ipv4 !== null) return classifyIpv4(ipv4);
  return classifyName(hostname);
}

function classifyName(hostname: string): HostKind | null {
  // `localhost.` and `localhost` are the same name to a resolver.
  const name = hostname.toLowerCase().replace(/\.+$/, "");
  if (METADATA_NAMES.has(name)) return { kind: "metadata", label: "a cloud metadata host" };
  if (name === "localhost" || name.endsWith(".localhost")) return { kind: "local", label: "a loopback name" };
  for (const suffix of LOCAL_SUFFIXES) {
    if (name === suffix || name.endsWith(`.${suffix}`)) return { kind: "local", label: `a local name (.${suffix})` };
  }
  // A name without a dot reaches nothing public; only a local search domain answers it.
  if (!name.includes(".")) return { kind: "local", label: "a single-label name" };
  return null;
}

function classifyIpv4(address: number): HostKind | null {
  if (METADATA_IPV4.has(formatIpv4(address))) return { kind: "metadata", label: "a cloud metadata address" };
  for (const [first, prefix, label] of LOCAL_IPV4_RANGES) {
    if (inIpv4Range(address, parseIpv4(first)!, prefix)) return { kind: "local", label };
  }
  return null;
}

function classifyIpv6(g: number[]): HostKind | null {
  if (g.every((group, i) => group === METADATA_IPV6[i])) return { kind: "metadata", label: "a cloud metadata address" };
  const zeroUpTo = (end: number): boolean => g.slice(0, end).every((group) => group === 0);
  const embedded = (high: number, low: number): number => ((high << 16) | low) >>> 0;

  if (zeroUpTo(8)) return { kind: "local", label: "the unspecified address" };
  if (zeroUpTo(7) && g[7] === 1) return { kind: "local", label: "a loopback address" };
  // Forms that carry an IPv4 address reach that address, so they are judged by it:
  // IPv4-mapped ::ffff:a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d (RFC 2765),
  // IPv4-compatible ::a.b.c.d, and the NAT64 well-known prefix 64:ff9b::/96 (RFC 6052).
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyIpv4(embedded(g[6], g[7]));
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return classifyIpv4(embedded(g[6], g[7]));
  if (zeroUpTo(6)) return classifyIpv4(embedded(g[6], g[7]));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0)) {
    return classifyIpv4(embedded(g[6], g[7]));
  }
  // The local-use NAT64 prefix 64:ff9b:1::/48 (RFC 8215) is a local network's own
  // translator; its embedded address may still name a metadata endpoint.
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) {
    const inner = classifyIpv4(embedded(g[6], g[7]));
    return inner?.kind === "metadata" ? inner : { kind: "local", label: "a local-use NAT64 address" };
  }
  // 6to4 (2002::/16) embeds the IPv4 address of the relay it tunnels to.
  if (g[0] === 0x2002) return classifyIpv4(embedded(g[1], g[2]));
  if ((g[0] & 0xfe00) === 0xfc00) return { kind: "local", label: "a unique local address (fc00::/7)" };
  if ((g[0] & 0xffc0) === 0xfe80) return { kind: "local", label: "a link-local address (fe80::/10)" };
  if ((g[0] & 0xffc0) === 0xfec0) return { kind: "local", label: "a site-local address (fec0::/10)" };
  if ((g[0] & 0xff00) === 0xff00) return { kind: "local", label: "a multicast address (ff00::/8)" };
  return null;
}

function inIpv4Range(address: number, first: number, prefix: number): boolean {
  const shift = 32 - prefix;
  return address >>> shift === first >>> shift;
}

/** A dotted quad as an unsigned 32-bit number, or null when it is not one. */
function parseIpv4(text: string): number | null {
  const match = IPV4_PATTERN.exec(text);
  if (match === null) return null;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return null;
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join(".");
}

/** An IPv6 literal (no brackets) as eight 16-bit groups, or null when it is not one. */
function parseIpv6(text: string): number[] | null {
  const halves = text.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const parseSide = (side: string, isLast: boolean): number[] | null => {
    if (side === "") return [];
    const groups: number[] = [];
    const parts = side.split(":");
    for (const [i, part] of parts.entries()) {
      // A trailing dotted quad fills the last two groups (::ffff:1.2.3.4).
      if (isLast && i === parts.length - 1 && part.includes(".")) {
        const ipv4 = parseIpv4(part);
        if (ipv4 === null) return null;
        groups.push(ipv4 >>> 16, ipv4 & 0xffff);
      } else if (/^[0-9a-f]{1,4}$/.test(part)) {
        groups.push(parseInt(part, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const head = parseSide(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? parseSide(halves[1], true) : [];
  if (head === null || tail === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}
