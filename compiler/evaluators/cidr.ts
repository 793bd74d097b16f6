// Address arithmetic for the evaluators, kept apart from the validation of contracts on purpose:
// an evaluator that shared the compiler's address code would share its mistakes.

function parse(ip: string): { family: 4 | 6; value: bigint } {
  if (ip.includes(':')) {
    const [head = '', tail = ''] = ip.split('::');
    const h = head ? head.split(':') : [];
    const t = ip.includes('::') && tail ? tail.split(':') : [];
    const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
    return { family: 6, value: groups.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n) };
  }
  return { family: 4, value: ip.split('.').reduce((acc, o) => acc * 256n + BigInt(Number(o)), 0n) };
}

export function inCidr(ip: string, cidr: string): boolean {
  const [net = '', bits = '0'] = cidr.split('/');
  const a = parse(ip);
  const n = parse(net);
  if (a.family !== n.family) return false;
  const width = a.family === 4 ? 32n : 128n;
  const shift = width - BigInt(Number(bits));
  return a.value >> shift === n.value >> shift;
}

/** The first address of a range, to stand for a client inside it. */
export function addressIn(cidr: string): string {
  const [net = '', bits = '0'] = cidr.split('/');
  // A range too narrow for an offset of 5 (a load balancer's /32, say) stands for itself.
  if (net.includes(':')) return net.endsWith('::') && Number(bits) <= 125 ? `${net}5` : net;
  if (Number(bits) > 29) return net;
  const octets = net.split('.').map(Number);
  octets[3] = (octets[3] ?? 0) + 5;
  return octets.join('.');
}
