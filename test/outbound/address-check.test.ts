/**
 * The address check as a table: every URL is judged twice, with ALLOW_LOCAL_NETWORK off
 * and on. `local` rows are refused only when it is off, `metadata` and `invalid` rows
 * always, `public` rows never.
 */
import { describe, expect, it } from "vitest";
import { addressProblem, checkAddress } from "../../worker/outbound/address-check";

type Verdict = "public" | "local" | "metadata" | "invalid";

const CASES: Array<[url: string, verdict: Verdict]> = [
  // Public addresses and names.
  ["http://8.8.8.8/", "public"],
  ["https://1.1.1.1/dns-query", "public"],
  ["https://example.com/", "public"],
  ["https://api.example.com:8443/v1?x=1", "public"],
  ["http://[2606:4700::1111]/", "public"],
  ["https://example.com./", "public"],
  ["http://172.32.0.1/", "public"], // just past 172.16/12
  ["http://100.128.0.1/", "public"], // just past 100.64/10
  ["http://198.20.0.1/", "public"], // just past 198.18/15
  ["http://[::ffff:8.8.8.8]/", "public"], // mapped, but the embedded address is public
  ["http://[64:ff9b::808:808]/", "public"], // NAT64 of 8.8.8.8

  // Loopback, in every spelling the URL parser accepts.
  ["http://127.0.0.1/", "local"],
  ["http://127.255.255.254:8080/", "local"],
  ["http://localhost/", "local"],
  ["http://LOCALHOST./", "local"],
  ["http://api.localhost/", "local"],
  ["http://2130706433/", "local"], // decimal
  ["http://0x7f.1/", "local"], // hex, short form
  ["http://0x7f000001/", "local"], // hex
  ["http://0177.0.0.1/", "local"], // octal
  ["http://127.1/", "local"], // short form
  ["http://%31%32%37.0.0.1/", "local"], // percent-encoded
  ["http://[::1]/", "local"],
  ["http://[0:0:0:0:0:0:0:1]/", "local"],
  ["http://[::ffff:127.0.0.1]/", "local"], // IPv4-mapped, dotted
  ["http://[::ffff:7f00:1]/", "local"], // IPv4-mapped, hex
  ["http://[::127.0.0.1]/", "local"], // IPv4-compatible
  ["http://[::ffff:0:127.0.0.1]/", "local"], // IPv4-translated
  ["http://[64:ff9b::7f00:1]/", "local"], // NAT64
  ["http://[2002:7f00:1::]/", "local"], // 6to4

  // This network, private, CGNAT, link-local, benchmarking, multicast, reserved, broadcast.
  ["http://0.0.0.0/", "local"],
  ["http://0/", "local"],
  ["http://0.1.2.3/", "local"],
  ["http://10.0.0.1/", "local"],
  ["http://10.255.255.255/", "local"],
  ["http://172.16.0.1/", "local"],
  ["http://172.31.255.255/", "local"],
  ["http://192.168.1.1/", "local"],
  ["http://3232235777/", "local"], // 192.168.1.1 in decimal
  ["http://[::ffff:192.168.1.1]/", "local"],
  ["http://[::ffff:a00:1]/", "local"], // 10.0.0.1, mapped hex
  ["http://100.64.0.1/", "local"],
  ["http://100.127.255.255/", "local"],
  ["http://169.254.1.1/", "local"],
  ["http://198.18.0.1/", "local"],
  ["http://198.19.255.255/", "local"],
  ["http://224.0.0.1/", "local"],
  ["http://239.255.255.250/", "local"],
  ["http://240.0.0.1/", "local"],
  ["http://255.255.255.255/", "local"],

  // IPv6 local ranges.
  ["http://[::]/", "local"],
  ["http://[fc00::1]/", "local"],
  ["http://[fd12:3456:789a::1]/", "local"],
  ["http://[fe80::1]/", "local"],
  ["http://[febf::1]/", "local"],
  ["http://[fec0::1]/", "local"],
  ["http://[ff02::1]/", "local"],
  ["http://[64:ff9b:1::a00:1]/", "local"], // local-use NAT64

  // Names that only a local resolver answers.
  ["http://printer.local/", "local"],
  ["http://db.internal/", "local"],
  ["http://nas.home.arpa/", "local"],
  ["http://router.lan/", "local"],
  ["http://intranet/", "local"],

  // Cloud metadata: refused even on a local network.
  ["http://169.254.169.254/latest/meta-data/", "metadata"],
  ["http://169.254.170.2/v2/credentials", "metadata"],
  ["http://100.100.100.200/latest/meta-data/", "metadata"],
  ["http://[fd00:ec2::254]/", "metadata"],
  ["http://metadata.google.internal/computeMetadata/v1/", "metadata"],
  ["http://METADATA.GOOGLE.INTERNAL./", "metadata"],
  ["http://metadata.goog/", "metadata"],
  ["http://metadata/", "metadata"],
  ["http://instance-data/", "metadata"],
  ["http://2852039166/", "metadata"], // 169.254.169.254 in decimal
  ["http://0xa9fea9fe/", "metadata"], // in hex
  ["http://0251.0376.0251.0376/", "metadata"], // in octal
  ["http://169.254.43518/", "metadata"], // short form
  ["http://[::ffff:169.254.169.254]/", "metadata"],
  ["http://[::ffff:a9fe:a9fe]/", "metadata"],
  ["http://[::169.254.169.254]/", "metadata"],
  ["http://[64:ff9b::a9fe:a9fe]/", "metadata"],
  ["http://[64:ff9b:1::a9fe:a9fe]/", "metadata"],
  ["http://[2002:a9fe:a9fe::]/", "metadata"],
  ["http://[::ffff:6464:64c8]/", "metadata"], // 100.100.100.200, mapped

  // Not http(s), or carrying user info.
  ["ftp://example.com/file", "invalid"],
  ["file:///etc/passwd", "invalid"],
  ["gopher://example.com/", "invalid"],
  ["data:text/plain,hello", "invalid"],
  ["javascript:alert(1)", "invalid"],
  ["ws://example.com/", "invalid"],
  ["https://user:pass@example.com/", "invalid"],
  ["https://user@example.com/", "invalid"],
  ["https://:secret@example.com/", "invalid"],
];

describe("addressProblem", () => {
  it.each(CASES)("%s is %s", (url, verdict) => {
    const parsed = new URL(url);
    const strict = checkAddress(parsed, { allowLocalNetwork: false });
    const lenient = checkAddress(parsed, { allowLocalNetwork: true });
    switch (verdict) {
      case "public":
        expect(strict).toBeNull();
        expect(lenient).toBeNull();
        break;
      case "local":
        expect(strict?.reason).toBe("blocked_address");
        expect(lenient).toBeNull();
        break;
      case "metadata":
        expect(strict?.reason).toBe("blocked_address");
        expect(lenient?.reason).toBe("blocked_address");
        break;
      case "invalid":
        expect(strict?.reason).toBe("invalid_url");
        expect(lenient?.reason).toBe("invalid_url");
        break;
    }
    // The string form agrees with the tagged one.
    expect(addressProblem(parsed, { allowLocalNetwork: false })).toBe(strict?.message ?? null);
  });

  it.each([
    ["http://2130706433/", "127.0.0.1"],
    ["http://0x7f.1/", "127.0.0.1"],
    ["http://0177.0.0.1/", "127.0.0.1"],
    ["http://[::ffff:127.0.0.1]/", "[::ffff:7f00:1]"],
  ])("the URL parser normalises %s to %s before the check sees it", (url, hostname) => {
    expect(new URL(url).hostname).toBe(hostname);
  });

  it("names the host but never the path or query", () => {
    const message = addressProblem(new URL("http://10.0.0.1/admin?api_key=s3cret"), { allowLocalNetwork: false });
    expect(message).toContain("10.0.0.1");
    expect(message).not.toContain("s3cret");
    expect(message).not.toContain("admin");
  });

  it("does not echo user info", () => {
    const message = addressProblem(new URL("https://alice:s3cret@example.com/"), { allowLocalNetwork: true });
    expect(message).not.toBeNull();
    expect(message).not.toContain("s3cret");
  });
});
