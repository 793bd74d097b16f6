// Addresses and ranges, parsed once into numbers and written back in one canonical form. Text
// that is not canonical (leading zeros, a zone id, host bits, an uncompressed IPv6 address) is
// reported with the canonical form; only canonical text reaches the model and the output, so two
// spellings of one range can never be two keys, and IPv4 and IPv6 never compare.

export interface Cidr {
  family: 4 | 6;
  /** The network address, host bits cleared. */
  network: bigint;
  prefix: number;
  /** The canonical text: dotted decimal, or RFC 5952 for IPv6; `/` and the prefix without leading zeros. */
  text: string;
}

/** Why written text is not the canonical range it stands for. */
export type CidrProblem = 'form' | 'host-bits' | 'zone' | 'octal' | 'ipv4-mapped';

export interface ParsedCidr {
  cidr: Cidr;
  problem?: CidrProblem;
  /** With `host-bits`: the one address that was written, as a /32 or /128. */
  address?: string;
  /** With `ipv4-mapped`: the IPv4 range the text stands for. */
  ipv4?: string;
}

/** `::ffff:0:0/96`, where IPv6 writes IPv4 addresses (RFC 4291, 2.5.5.2). */
const mappedPrefix = 0xffffn;

const width = (family: 4 | 6) => (family === 4 ? 32 : 128);

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256n + BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tail4: bigint | undefined;
  // An IPv4 tail (`::ffff:10.0.0.1`) is two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail4 = parseIpv4(text.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}${(tail4 >> 16n).toString(16)}:${(tail4 & 0xffffn).toString(16)}`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const [left = '', right = ''] = halves;
  const l = groups(left);
  const r = halves.length === 2 ? groups(right) : [];
  const missing = 8 - l.length - r.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...l, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...r];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** An address as a number, or undefined when it is not one address of either family. */
export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

/** RFC 5952: lowercase, no leading zeros, the longest run of two or more zero groups as `::`. */
export function formatIp(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { at: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.length < 2) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}

/** A range as written, with what keeps it from being canonical; undefined when it is no range at all. */
export function parseCidr(raw: string): ParsedCidr | undefined {
  const percent = raw.indexOf('%');
  const slash = raw.lastIndexOf('/');
  if (slash < 0) return undefined;
  const prefixText = raw.slice(slash + 1);
  if (!/^\d{1,8}$/.test(prefixText)) return undefined;
  const ipText = percent >= 0 && percent < slash ? raw.slice(0, percent) : raw.slice(0, slash);
  const ip = parseIp(ipText);
  const prefix = Number(prefixText);
  if (!ip || prefix > width(ip.family)) return undefined;
  const hostBits = BigInt(width(ip.family) - prefix);
  const network = (ip.value >> hostBits) << hostBits;
  const text = `${formatIp(ip.family, network)}/${prefix}`;
  const cidr: Cidr = { family: ip.family, network, prefix, text };
  if (percent >= 0) return { cidr, problem: 'zone' };
  // `010` is 8 to inet_aton and 10 to others: the range is ambiguous, whatever else is wrong.
  if (ip.family === 4 && ipText.split('.').some((o) => /^0\d/.test(o))) return { cidr, problem: 'octal' };
  // An IPv4 range written as IPv6 is matched against IPv6 traffic by security groups and
  // NetworkPolicy, so IPv4 callers never fall in it, while a dual-stack proxy may report them
  // inside it: the layers would disagree, so only the IPv4 spelling is taken.
  if (ip.family === 6 && prefix >= 96 && network >> 32n === mappedPrefix)
    return { cidr, problem: 'ipv4-mapped', ipv4: `${formatIp(4, network & 0xffffffffn)}/${prefix - 96}` };
  if (network !== ip.value)
    return { cidr, problem: 'host-bits', address: `${formatIp(ip.family, ip.value)}/${width(ip.family)}` };
  return raw === text ? { cidr } : { cidr, problem: 'form' };
}

/** Is the text a canonical range (of this family, when given)? */
export function isCanonicalCidr(value: string, family?: 4 | 6): boolean {
  const parsed = parseCidr(value);
  return (
    parsed !== undefined && parsed.problem === undefined && (family === undefined || parsed.cidr.family === family)
  );
}

export const isIpv4Cidr = (value: string) => isCanonicalCidr(value, 4);
export const isIpv6Cidr = (value: string) => isCanonicalCidr(value, 6);
export const isCidr = (value: string) => isCanonicalCidr(value);

/** Is the address inside the range? Different families never match; text that is neither never does. */
export function ipInCidr(ipText: string, cidrText: string): boolean {
  const ip = parseIp(ipText);
  const range = parseCidr(cidrText)?.cidr;
  if (!ip || !range || ip.family !== range.family) return false;
  const hostBits = BigInt(width(range.family) - range.prefix);
  return ip.value >> hostBits === range.network >> hostBits;
}

/** Does range `outer` hold every address of range `inner`? */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const hostBits = BigInt(width(outer.family) - outer.prefix);
  return inner.network >> hostBits === outer.network >> hostBits;
}

/** Does range `outer`, as written, hold every address of range `inner`? Text that is no range holds none. */
export function cidrHolds(outer: string, inner: string): boolean {
  const o = parseCidr(outer)?.cidr;
  const i = parseCidr(inner)?.cidr;
  return o !== undefined && i !== undefined && cidrContains(o, i);
}

/** Do two ranges, as written, share an address? Text that is no range shares none. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a)?.cidr;
  const y = parseCidr(b)?.cidr;
  return x !== undefined && y !== undefined && (cidrContains(x, y) || cidrContains(y, x));
}
