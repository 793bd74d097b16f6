import type { Environment } from '@marcbachmann/cel-js';
import { cidrContains, formatIp, parseCidr, parseIp, type Cidr } from '../validate/cidr.js';

// Address functions for guard-rails, named and shaped as Kubernetes' CEL library has them
// (`isCIDR`, `cidr`, `isIP`, `ip`, and the methods of `net.CIDR` and `net.IP`), so that rules
// compare ranges by what they contain and never as strings: `0.0.0.0/00` is `0.0.0.0/0`.

/** An address in a guard-rail. */
export class CelIp {
  constructor(
    readonly family: 4 | 6,
    readonly value: bigint,
  ) {}
}

/** A range in a guard-rail: the address written, and the range it names. */
export class CelCidr {
  constructor(
    readonly address: CelIp,
    readonly range: Cidr,
  ) {}
}

const toIp = (text: string): CelIp => {
  const ip = parseIp(text);
  if (!ip) throw new Error(`\`${text}\` is not an IP address`);
  return new CelIp(ip.family, ip.value);
};

const toCidr = (text: string): CelCidr => {
  const parsed = parseCidr(text);
  const address = parsed ? parseIp(text.slice(0, text.lastIndexOf('/')).split('%')[0] ?? '') : undefined;
  if (!parsed || !address) throw new Error(`\`${text}\` is not a CIDR`);
  return new CelCidr(new CelIp(address.family, address.value), parsed.cidr);
};

const single = (ip: CelIp): Cidr => ({
  family: ip.family,
  network: ip.value,
  prefix: ip.family === 4 ? 32 : 128,
  text: formatIp(ip.family, ip.value),
});

const isLoopback = (ip: CelIp) => (ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n);

/** Register the types and functions in an environment (checking and evaluation alike). */
export function registerAddressFunctions(env: Environment): Environment {
  return env
    .registerType('net.IP', CelIp)
    .registerType('net.CIDR', CelCidr)
    .registerFunction('isIP(string): bool', (s: string) => parseIp(s) !== undefined)
    .registerFunction('ip(string): net.IP', toIp)
    .registerFunction('isCIDR(string): bool', (s: string) => parseCidr(s) !== undefined)
    .registerFunction('cidr(string): net.CIDR', toCidr)
    .registerFunction('net.IP.family(): int', (ip: CelIp) => BigInt(ip.family))
    .registerFunction('net.IP.isUnspecified(): bool', (ip: CelIp) => ip.value === 0n)
    .registerFunction('net.IP.isLoopback(): bool', isLoopback)
    .registerFunction('net.CIDR.prefixLength(): int', (c: CelCidr) => BigInt(c.range.prefix))
    .registerFunction('net.CIDR.ip(): net.IP', (c: CelCidr) => c.address)
    .registerFunction('net.CIDR.masked(): net.CIDR', (c: CelCidr) => {
      return new CelCidr(new CelIp(c.range.family, c.range.network), c.range);
    })
    .registerFunction('net.CIDR.containsIP(net.IP): bool', (c: CelCidr, ip: CelIp) => cidrContains(c.range, single(ip)))
    .registerFunction('net.CIDR.containsIP(string): bool', (c: CelCidr, s: string) =>
      cidrContains(c.range, single(toIp(s))),
    )
    .registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', (c: CelCidr, o: CelCidr) =>
      cidrContains(c.range, o.range),
    )
    .registerFunction('net.CIDR.containsCIDR(string): bool', (c: CelCidr, s: string) =>
      cidrContains(c.range, toCidr(s).range),
    );
}
