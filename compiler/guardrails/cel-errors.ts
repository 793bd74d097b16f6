/** A cel-js error as one line of a diagnostic: its summary (its message carries a source excerpt), lowercase first. */
export function celErrorText(error: unknown): string {
  const e = (error ?? {}) as { summary?: string; message?: string };
  const text = (e.summary ?? e.message ?? String(error)).split('\n')[0] ?? '';
  return text.replace(/^[A-Z]/, (c) => c.toLowerCase());
}
