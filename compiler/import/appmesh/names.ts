// App Mesh names (up to 255 letters, digits, hyphens and underscores, and dots in service names)
// as the DNS labels and service names a contract takes.

/** Lowercase letters, digits and single hyphens, trimmed to `max`; `fallback` when nothing is left. */
export function label(text: string, max: number, fallback: string): string {
  const out = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return out === '' ? fallback : out;
}

/** A contract name: 3 to 40 characters. */
export function serviceName(text: string): string {
  const base = label(text, 40, 'service');
  return base.length >= 3 ? base : `${base}-svc`;
}

/** The first DNS label of a host name (`b` of `b.chain.svc.cluster.local`). */
export const firstLabel = (host: string) => host.split('.')[0] ?? host;

/** Text for a YAML comment: printable ASCII only, so that no input can end the comment's line. */
export const commentText = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
