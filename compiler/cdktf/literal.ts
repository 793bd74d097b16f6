/**
 * Terraform evaluates `${…}` and `%{…}` in every string of a `.tf.json` file. Text from a contract
 * must reach AWS as written, so both introducers are escaped (`$${`, `%%{`), whatever the schema
 * already refuses. Every contract-derived string goes through here; references do not.
 */
export function literal(text: string): string {
  // Replacement functions, not strings: in a replacement string `$$` means a single `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

export function literalTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [literal(k), literal(v)]));
}
