// Line-at-a-time file I/O for the store's JSON Lines format, in bounded memory: the reader holds one 256 KiB chunk
// (plus the line crossing its end), the writer fills one 1 MiB buffer at a time.
import { closeSync, fsync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { promisify } from 'node:util';

/** Read chunk: 256 KiB measured as fast as 1 MiB for a 74 MB store, with ~12 MB less peak RSS. */
const READ_CHUNK_BYTES = 1 << 18;
const WRITE_CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Calls `onLine` for every line of `file`, without its `\n`, in order; a last line without a `\n` is passed too.
 * Errors thrown by `onLine` stop the read and propagate. The file is never held whole: chunks are decoded with a
 * StringDecoder (so a character split across chunks stays whole), and a line longer than a chunk is collected in
 * pieces and joined once.
 */
export async function forEachLine(file: string, onLine: (line: string) => void): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let carried: string[] = [];
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      const text = decoder.write(buffer.subarray(0, bytesRead));
      let start = 0;
      let newline = text.indexOf('\n');
      if (newline !== -1 && carried.length > 0) {
        carried.push(text.slice(0, newline));
        onLine(carried.join(''));
        carried = [];
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      while (newline !== -1) {
        onLine(text.slice(start, newline));
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      if (start < text.length) carried.push(start === 0 ? text : text.slice(start));
    }
    carried.push(decoder.end());
    const last = carried.join('');
    if (last.length > 0) onLine(last);
  } finally {
    await handle.close();
  }
}

const fsyncAsync = promisify(fsync);

/**
 * Writes lines to a new file through one reused 1 MiB buffer. Opening and writing are synchronous on purpose: the
 * caller serialises and writes in one uninterrupted run, so nothing can change the data half-way through and the
 * file is one consistent snapshot, while memory stays at one buffer plus one line. The bytes then sit in the page
 * cache; `syncAndClose()` (asynchronous) makes them durable.
 */
export class LineFileWriter {
  readonly #fd: number;
  readonly #buffer = Buffer.allocUnsafe(WRITE_CHUNK_BYTES);
  #used = 0;
  #closed = false;

  constructor(file: string) {
    this.#fd = openSync(file, 'w');
  }

  /** Appends `line` and a `\n`; `line` must not contain a newline (JSON.stringify output never does). */
  line(line: string): void {
    const bytes = Buffer.byteLength(line, 'utf8') + 1;
    if (this.#used + bytes > WRITE_CHUNK_BYTES) this.#drain();
    if (bytes > WRITE_CHUNK_BYTES) {
      this.#writeAll(Buffer.from(`${line}\n`, 'utf8'));
      return;
    }
    this.#used += this.#buffer.write(line, this.#used, 'utf8');
    this.#buffer[this.#used] = NEWLINE;
    this.#used += 1;
  }

  /** Writes what's buffered, fsyncs and closes. */
  async syncAndClose(): Promise<void> {
    try {
      this.#drain();
      await fsyncAsync(this.#fd);
    } finally {
      this.close();
    }
  }

  /** Closes without syncing (after a failure); safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }

  #drain(): void {
    if (this.#used === 0) return;
    this.#writeAll(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }

  #writeAll(bytes: Buffer): void {
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.#fd, bytes, offset, bytes.length - offset);
  }
}
