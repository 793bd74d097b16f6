import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Gzip by its magic bytes, not its name: S3 deliveries are `.gz`, exports are renamed at will. */
async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Longer than any access log line (a few kilobytes, tens with many headers). */
export const maxLineBytes = 1 << 20;

/**
 * The lines of a log file, gunzipped where needed, one at a time: memory holds one line (and the
 * stream's buffers), however large the file. A line past `maxLineBytes` is undefined, its bytes
 * dropped as they come: a few megabytes of gzip can unpack to one line of gigabytes, which held
 * whole ended the process with a trace. Lines end at \n, \r\n or \r, as readline ends them.
 */
export async function* linesOf(path: string): AsyncGenerator<string | undefined> {
  const raw: Readable = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream: Readable = (await isGzip(path)) ? raw.pipe(createGunzip()) : raw;
  try {
    // Buffers: no encoding is set on either stream.
    yield* linesOfChunks(stream as AsyncIterable<Buffer>);
  } finally {
    raw.destroy();
  }
}

/** The lines of bytes that come in chunks, as `linesOf` gives them. */
export async function* linesOfChunks(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
): AsyncGenerator<string | undefined> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  // The previous chunk ended with \r: a \n starting this one belongs to the same break.
  let afterCr = false;
  for await (const chunk of chunks) {
    let at = afterCr && chunk[0] === 0x0a ? 1 : 0;
    afterCr = false;
    // The next \n and \r at or after `at`, each looked up again only once passed: searching
    // the rest of the chunk anew for each line would be quadratic where one of them never comes.
    let lf = -2;
    let cr = -2;
    while (at < chunk.length) {
      if (lf !== -1 && lf < at) lf = chunk.indexOf(0x0a, at);
      if (cr !== -1 && cr < at) cr = chunk.indexOf(0x0d, at);
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      const stop = end < 0 ? chunk.length : end;
      if (!tooLong && size + (stop - at) > maxLineBytes) {
        tooLong = true;
        parts = [];
        size = 0;
      }
      if (!tooLong) {
        parts.push(chunk.subarray(at, stop));
        size += stop - at;
      }
      if (end < 0) break;
      yield tooLong ? undefined : Buffer.concat(parts, size).toString('utf8');
      parts = [];
      size = 0;
      tooLong = false;
      at = end + 1;
      if (chunk[end] === 0x0d) {
        if (at === chunk.length) afterCr = true;
        else if (chunk[at] === 0x0a) at++;
      }
    }
  }
  if (size > 0 || tooLong) yield tooLong ? undefined : Buffer.concat(parts, size).toString('utf8');
}
