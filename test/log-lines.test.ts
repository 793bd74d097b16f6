import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linesOfChunks, maxLineBytes } from '../compiler/observe/read.js';
import { cli, tempDir } from './support/estate.js';

// `observe` reads logs by lines of its own (observe/read.ts) instead of readline's, which held a
// line whole however long: 3 MB of gzip unpacking to one 700 MB line ended the process with a
// RangeError trace. Below the limit the lines must be exactly readline's, however the bytes come.

async function collect(lines: AsyncIterable<string | undefined>): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

function* chunked(bytes: Buffer, cuts: number[]): Generator<Buffer> {
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(at, cut);
    at = cut;
  }
  yield bytes.subarray(at);
}

/** What readline made of the same bytes, as `observe` used it. */
async function readlineOf(bytes: Buffer): Promise<string[]> {
  const out: string[] = [];
  for await (const line of createInterface({ input: Readable.from([bytes]), crlfDelay: Infinity })) out.push(line);
  return out;
}

describe('log lines', () => {
  it("are readline's lines, whatever the chunks, breaks and characters", async () => {
    const piece = fc.oneof(
      fc.constantFrom('\n', '\r', '\r\n', '\n\r', '', 'é', '\u{1f600}', '{"a":1}', ' '),
      fc.string({ maxLength: 12 }),
      fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        async (pieces, cuts, raw) => {
          // Raw bytes too (invalid UTF-8 among them), not only what a string encodes to. Those end
          // with a break: readline drops a sequence cut short by the end of the file, where these
          // lines keep it as U+FFFD (a line that is there, and unread).
          const bytes = raw ? Buffer.from(`${pieces.join('')}\n`, 'latin1') : Buffer.from(pieces.join(''), 'utf8');
          expect(await collect(linesOfChunks(chunked(bytes, cuts)))).toEqual(await readlineOf(bytes));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives a line past the limit as unread, and the lines around it as they are', async () => {
    const long = Buffer.alloc(maxLineBytes + 1, 'a');
    const bytes = Buffer.concat([Buffer.from('first\r\n'), long, Buffer.from('\nlast')]);
    const cuts = [3, 100, maxLineBytes - 5, maxLineBytes + 9];
    expect(await collect(linesOfChunks(chunked(bytes, cuts)))).toEqual(['first', undefined, 'last']);
    const exact = Buffer.concat([Buffer.alloc(maxLineBytes, 'b'), Buffer.from('\n')]);
    expect(await collect(linesOfChunks(chunked(exact, [1])))).toEqual(['b'.repeat(maxLineBytes)]);
  });

  it('lets observe report a gzip bomb of one line as one unread line, without a trace', async () => {
    const dir = await tempDir();
    const { cpSync } = await import('node:fs');
    cpSync(join(import.meta.dirname, '..', 'contracts'), join(dir, 'contracts'), { recursive: true });
    // 64 MB of one line in 64 KB of gzip.
    writeFileSync(join(dir, 'bomb.log.gz'), gzipSync(Buffer.alloc(64 << 20, 'a')));
    const run = await cli(['observe', 'bomb.log.gz', '--format', 'json'], dir);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('"unread"');
  });
});
