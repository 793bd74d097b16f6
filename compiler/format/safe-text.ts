// Text from contracts and file names, made safe to print. A terminal obeys control sequences
// (ESC [2K CR rewrites the line just printed), and CI runners read some line starts as commands
// (GitHub Actions `::error …`, Azure Pipelines `##vso[…]`): no byte from input may do either.

/** C0 and C1 controls, DEL, and the Unicode separators and direction overrides that reorder text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

const unsafeInJson =
  // eslint-disable-next-line no-control-regex -- as above; raw newlines are JSON's own line breaks
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

const shown: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Every control character as a visible escape (`\x1b`, `\n`, `\u{202e}`), everything else as it is. */
export function printable(text: string): string {
  return text.replace(unsafe, (c) => {
    const code = c.charCodeAt(0);
    return shown[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
  });
}

/**
 * Text that starts a line of output: printable, and never the start of a runner command. A path
 * is shown as `./path` then, which names the same file.
 */
export function lineStart(text: string): string {
  const safe = printable(text);
  return /^\s*(::|##)/.test(safe) ? `./${safe}` : safe;
}

/**
 * JSON for a terminal or a log: JSON.stringify escapes C0 controls but leaves C1 controls (U+009B
 * is CSI to some terminals), separators and direction overrides raw; here they are `\uXXXX` too.
 */
export function safeJson(value: unknown): string {
  // Raw newlines are JSON's own line breaks: those inside strings are already `\n`.
  return JSON.stringify(value, null, 2).replace(
    unsafeInJson,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
