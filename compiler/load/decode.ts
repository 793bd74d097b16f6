import type { CodedMessage } from '../diagnostics/catalog.js';
import { maxFileBytes } from './source.js';

export type DecodeResult =
  { ok: true; text: string } | { ok: false; message: CodedMessage; offset: number; prefix: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** UTF-8 text without its byte-order mark; CRLF is left for the YAML parser, which accepts it. */
export function decode(bytes: Uint8Array): DecodeResult {
  if (bytes.length > maxFileBytes) {
    return {
      ok: false,
      offset: 0,
      prefix: '',
      message: { code: 'file-too-large', data: { bytes: bytes.length } },
    };
  }
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
    const hex = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    const nul = bytes.includes(0) ? ' (it looks binary)' : '';
    return {
      ok: false,
      offset,
      prefix,
      message: { code: 'not-utf8', data: { nul, hex } },
    };
  }
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    const need =
      c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const cont = b[i + k];
      if (cont === undefined || (cont & 0xc0) !== 0x80) return i;
    }
    // Overlong and surrogate forms.
    const c1 = b[i + 1] ?? 0;
    if (
      (c === 0xe0 && c1 < 0xa0) ||
      (c === 0xed && c1 > 0x9f) ||
      (c === 0xf0 && c1 < 0x90) ||
      (c === 0xf4 && c1 > 0x8f)
    )
      return i;
    i += need + 1;
  }
  return b.length;
}

export const maxNesting = 64;

/**
 * The offset where collections nest deeper than `maxNesting`, or -1. The YAML parser dies with
 * an uncatchable out-of-memory error on flow collections nested tens of thousands deep, so
 * nesting is measured before parsing. Quoted scalars and comments are skipped; block nesting is
 * measured by the indentation stack plus `- ` runs.
 */
export function tooDeepAt(text: string): number {
  let flow = 0;
  const indents: number[] = [];
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (lineStart) {
      if (ch === ' ') {
        indent++;
        continue;
      }
      if (ch === '\n' || ch === '\r' || ch === '#') {
        indent = 0;
        if (ch === '#') i = skipLine(text, i);
        continue;
      }
      lineStart = false;
      if (flow === 0) {
        while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= indent) indents.pop();
        indents.push(indent);
        let dashes = 0;
        let j = i;
        while (text[j] === '-' && text[j + 1] === ' ') {
          dashes++;
          j += 2;
          while (text[j] === ' ') j++;
        }
        if (indents.length + dashes > maxNesting) return i;
      }
    }
    if (ch === '\n') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (ch === '"') {
      i = skipDouble(text, i);
      continue;
    }
    if (ch === "'") {
      i = skipSingle(text, i);
      continue;
    }
    if (ch === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      i = skipLine(text, i) - 1;
      continue;
    }
    if (ch === '[' || ch === '{') {
      if (++flow + indents.length > maxNesting) return i;
    } else if ((ch === ']' || ch === '}') && flow > 0) flow--;
  }
  return -1;
}

function skipLine(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl;
}
function skipDouble(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j;
  }
  return text.length;
}
function skipSingle(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === "'") {
      if (text[j + 1] === "'") j++;
      else return j;
    }
  }
  return text.length;
}
