/**
 * Fastify's `trustProxy` from TRUST_PROXY: comma-separated addresses, CIDRs or
 * proxy-addr names ("10.0.0.0/8, loopback"), or a hop count ("1"). Unset trusts
 * no proxy, so X-Forwarded-For cannot move a client to another rate-limit bucket.
 * A hop count trusts that many hops whoever sent them (Fastify alone refuses
 * numbers): only for instances reachable through the proxies alone.
 */
export function trustProxyFrom(setting: string | undefined): false | string[] | ((address: string, hop: number) => boolean) {
  const value = setting?.trim();
  if (!value) return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}
