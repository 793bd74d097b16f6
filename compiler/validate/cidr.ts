import { isIPv4, isIPv6 } from 'node:net';

/** `a.b.c.d/n` with no host bits set. */
export function isIpv4Cidr(value: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!m) return false;
  const ip = value.slice(0, value.indexOf('/'));
  if (!isIPv4(ip)) return false;
  const prefix = Number(m[5]);
  if (prefix > 32) return false;
  const n = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const hostBits = prefix === 32 ? 0 : n % 2 ** (32 - prefix);
  return hostBits === 0;
}

/** An IPv6 CIDR with no host bits set. */
export function isIpv6Cidr(value: string): boolean {
  const slash = value.lastIndexOf('/');
  if (slash < 0 || !/^\d{1,3}$/.test(value.slice(slash + 1))) return false;
  const ip = value.slice(0, slash);
  const prefix = Number(value.slice(slash + 1));
  if (!isIPv6(ip) || prefix > 128 || ip.includes('.')) return false;
  const n = ipv6ToBigInt(ip);
  const hostMask = prefix === 128 ? 0n : (1n << BigInt(128 - prefix)) - 1n;
  return (n & hostMask) === 0n;
}

export function isCidr(value: string): boolean {
  return value.includes(':') ? isIpv6Cidr(value) : isIpv4Cidr(value);
}

function ipv6ToBigInt(ip: string): bigint {
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

const addressValue = (ip: string) =>
  ip.includes(':') ? ipv6ToBigInt(ip) : ip.split('.').reduce((acc, o) => acc * 256n + BigInt(Number(o)), 0n);

/** Is the address inside the range? Different families never match. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [net = '', bits = '0'] = cidr.split('/');
  const v6 = ip.includes(':');
  if (v6 !== net.includes(':') || !(v6 ? isIPv6(ip) : isIPv4(ip))) return false;
  const shift = BigInt((v6 ? 128 : 32) - Number(bits));
  return addressValue(ip) >> shift === addressValue(net) >> shift;
}
