/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - input.length) > limit) continue;
    const d = distance(input.toLowerCase(), candidate.toLowerCase());
    // On a tie, the candidate of the input's own length (a typo more often replaces than drops), then the first.
    const closerLength =
      best !== undefined && Math.abs(candidate.length - input.length) < Math.abs(best.length - input.length);
    const sameLength =
      best !== undefined && Math.abs(candidate.length - input.length) === Math.abs(best.length - input.length);
    if (
      d < bestDistance ||
      (d === bestDistance && (closerLength || (sameLength && best !== undefined && candidate < best)))
    ) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** When nothing is close: the names there are, for a message's suggestion. */
export function declaredList(names: readonly string[]): string {
  return `; declared: ${names.map((n) => `\`${n}\``).join(', ') || 'none'}`;
}

export function didYouMean(input: string, candidates: Iterable<string>): string {
  const hit = closest(input, candidates);
  return hit === undefined ? '' : `; did you mean \`${hit}\`?`;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
