import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { type DecodeReport, StoreFileDecoder, writeStoreFile } from './codec.js';
import { forEachLine } from './lines.js';
import type { StoreData } from './schema.js';

/**
 * lowdb adapter for the JSON Lines file, written atomically and durably: temp file in the same directory, fsync,
 * rename over the target, fsync the directory. lowdb's own TextFile (steno) renames without fsync, so a power cut
 * could leave an empty file behind the rename; and it needs the whole file as one string, which this avoids.
 * Reading salvages a damaged file; what was lost is left in `lastReport` for the store to quarantine and report.
 */
export class DurableJsonFile implements Adapter<StoreData> {
  readonly #file: string;
  readonly #tempFile: string;
  /** What the last `read()` found damaged; null when the file was whole (or absent). */
  lastReport: DecodeReport | null = null;

  constructor(file: string) {
    this.#file = file;
    this.#tempFile = join(dirname(file), `.${basename(file)}.tmp`);
  }

  async read(): Promise<StoreData | null> {
    const decoder = new StoreFileDecoder(this.#file);
    try {
      await forEachLine(this.#file, (line) => decoder.line(line));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const { data, report } = decoder.finish();
    this.lastReport = report;
    return data;
  }

  async write(data: StoreData): Promise<void> {
    // Serialised and handed to the kernel before the first await: the file gets the data exactly as it was when the
    // write started, and a change made meanwhile waits for the next write.
    await writeStoreFile(this.#tempFile, data);
    await rename(this.#tempFile, this.#file);
    await syncDirectory(dirname(this.#file));
  }
}

/** Makes a rename durable; not every platform can open a directory, which is fine to skip. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => {});
  }
}
