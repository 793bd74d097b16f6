import { isIPv4, isIPv6 } from 'node:net';
import { ipv6ToBigInt } from '../validate/cidr.js';

const toBig = (ip: string) => (ip.includes(':') ? ipv6ToBigInt(ip) : ip.split('.').reduce((acc, o) => acc * 256n + BigInt(Number(o)), 0n));

/** Is the address inside the range? Different families never match. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [net = '', bits = '0'] = cidr.split('/');
  const v6 = ip.includes(':');
  if (v6 !== net.includes(':') || !(v6 ? isIPv6(ip) : isIPv4(ip))) return false;
  const shift = BigInt((v6 ? 128 : 32) - Number(bits));
  return toBig(ip) >> shift === toBig(net) >> shift;
}
