import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
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

/**
 * The lines of a log file, gunzipped where needed, one at a time: memory holds one line (and the
 * stream's buffers), however large the file.
 */
export async function* linesOf(path: string): AsyncGenerator<string> {
  const raw: Readable = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream: Readable = (await isGzip(path)) ? raw.pipe(createGunzip()) : raw;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of rl) yield line;
  } finally {
    rl.close();
    raw.destroy();
  }
}
