import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import {
  decodeStore,
  emptyStoreData,
  migrate,
  STORE_VERSION,
  Store,
  StoreClosedError,
  StoreCorruptError,
  StoreWriteError,
  storeDataSchema,
} from '../../src/store/index.js';
import { makeStoredProposal, storeDataWithProposals } from '../helpers/store-fixtures.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CRASH_WRITER = fileURLToPath(new URL('../helpers/store-crash-writer.ts', import.meta.url));

let dir: string;
let file: string;
const openStores: Store[] = [];

async function openStore(options: Partial<Parameters<typeof Store.open>[0]> = {}): Promise<Store> {
  const store = await Store.open({ file, flushDelayMs: 10_000, ...options });
  openStores.push(store);
  return store;
}

function captureLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', (line) => lines.push(line)) };
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'store-test-'));
  file = join(dir, 'nested', 'hiring-bot.json');
});

afterEach(async () => {
  for (const store of openStores.splice(0)) await store.close().catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

describe('Store.open', () => {
  it('creates missing directories and starts empty without writing anything', async () => {
    const store = await openStore();
    expect(store.data).toEqual(emptyStoreData());
    expect(store.recovered).toBeNull();
    expect(store.writeCount).toBe(0);
    expect(existsSync(join(dir, 'nested'))).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('keeps data across close and reopen, written as compact JSON', async () => {
    const store = await openStore();
    const stored = makeStoredProposal(1);
    store.change((data) => {
      data.cursor = '1042';
      data.proposals[stored.proposal.id] = stored;
      data.jobs.job_1 = {
        id: 'job_1',
        title: 'Dental X-ray labelling',
        status: 'OPEN',
        published: true,
        channelId: 'C0HIRING01',
        watch: true,
        weights: { interview: 0.6, match: 0.2, price: 0.2 },
      };
    });
    await store.close();

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('\n');
    expect(text).toBe(JSON.stringify(store.data));

    const reopened = await openStore();
    expect(reopened.recovered).toBeNull();
    expect(reopened.data).toEqual(store.data);
    expect(reopened.data.proposals[stored.proposal.id]).toEqual(stored);
  });

  it('leaves no temp file behind after a write', async () => {
    const store = await openStore();
    store.change((data) => {
      data.cursor = '7';
    });
    await store.flush();
    expect(await readdir(join(dir, 'nested'))).toEqual(['hiring-bot.json']);
  });
});

describe('coalesced writes', () => {
  it('writes many changes exactly once on flush', async () => {
    const store = await openStore();
    for (let index = 0; index < 500; index += 1) {
      store.change((data) => {
        const stored = makeStoredProposal(index);
        data.proposals[stored.proposal.id] = stored;
      });
    }
    expect(store.writeCount).toBe(0);
    await store.flush();
    expect(store.writeCount).toBe(1);
    await store.flush(); // nothing changed since: no write
    expect(store.writeCount).toBe(1);
    expect(Object.keys(decodeStore(await readFile(file, 'utf8')).proposals)).toHaveLength(500);
  });

  it('writes once by itself after the coalescing window', async () => {
    const store = await openStore({ flushDelayMs: 20 });
    for (let index = 0; index < 50; index += 1) {
      store.change((data) => {
        data.webhookDeliveries.push(`delivery_${index}`);
      });
    }
    await waitFor(() => store.writeCount === 1);
    await new Promise((resolve) => setTimeout(resolve, 60)); // a second write would have happened by now
    expect(store.writeCount).toBe(1);
    expect(decodeStore(await readFile(file, 'utf8')).webhookDeliveries).toHaveLength(50);
  });

  it('shares one write between concurrent flushes', async () => {
    const store = await openStore();
    store.change((data) => {
      data.cursor = '1';
    });
    const first = store.flush();
    const second = store.flush();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    expect(store.writeCount).toBe(1);
  });

  it('writes again for a change made while a write is in flight', async () => {
    const store = await openStore();
    store.change((data) => {
      data.cursor = 'during-write-1';
    });
    const first = store.flush();
    store.change((data) => {
      data.cursor = 'during-write-2';
    });
    const second = store.flush();
    const third = store.flush();
    expect(third).toBe(second);
    await Promise.all([first, second, third]);
    expect(store.writeCount).toBe(2);
    expect(decodeStore(await readFile(file, 'utf8')).cursor).toBe('during-write-2');
  });

  it('writes pending changes on close and refuses changes afterwards', async () => {
    const store = await openStore();
    store.change((data) => {
      data.cursor = 'before-close';
    });
    await store.close();
    expect(store.writeCount).toBe(1);
    expect(decodeStore(await readFile(file, 'utf8')).cursor).toBe('before-close');
    expect(() =>
      store.change((data) => {
        data.cursor = 'after-close';
      }),
    ).toThrow(StoreClosedError);
  });

  it('reports a failed write and keeps the change for the next flush', async () => {
    const store = await openStore();
    store.change((data) => {
      data.cursor = 'survives-a-failed-write';
    });
    // A directory where the temp file goes makes the write fail (permissions don't stop root, this does).
    const tempPath = join(dir, 'nested', '.hiring-bot.json.tmp');
    await mkdir(tempPath);
    const failure = await store.flush().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreWriteError);
    expect((failure as StoreWriteError).file).toBe(file);
    expect(store.writeCount).toBe(0);

    await rmdir(tempPath);
    await store.flush();
    expect(store.writeCount).toBe(1);
    expect(decodeStore(await readFile(file, 'utf8')).cursor).toBe('survives-a-failed-write');
  });
});

describe('corrupt files', () => {
  async function expectMovedAside(originalBytes: string, reasonPattern: RegExp): Promise<void> {
    await mkdir(join(dir, 'nested'), { recursive: true });
    await writeFile(file, originalBytes);
    const { lines, logger } = captureLogger();
    const store = await openStore({ logger });

    expect(store.recovered).toBeInstanceOf(StoreCorruptError);
    const recovered = store.recovered!;
    expect(recovered.file).toBe(file);
    expect(recovered.reason).toMatch(reasonPattern);
    expect(recovered.movedTo).toMatch(/hiring-bot\.json\.corrupt-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/);
    expect(await readFile(recovered.movedTo, 'utf8')).toBe(originalBytes);
    expect(existsSync(file)).toBe(false);
    expect(store.data).toEqual(emptyStoreData());

    const errorLines = lines.filter((line) => line.includes(' ERROR '));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain(recovered.movedTo);

    // The fresh store writes a new file; the moved-aside copy is untouched.
    store.change((data) => {
      data.cursor = 'fresh';
    });
    await store.flush();
    expect(decodeStore(await readFile(file, 'utf8')).cursor).toBe('fresh');
    expect(await readFile(recovered.movedTo, 'utf8')).toBe(originalBytes);
  }

  it('moves garbage aside', async () => {
    await expectMovedAside('{"version":1,"cursor":"12", garbage', /not valid JSON/);
  });

  it('moves an empty file aside', async () => {
    await expectMovedAside('', /not valid JSON/);
  });

  it('moves a schema-invalid file aside', async () => {
    const invalid = { ...emptyStoreData(), proposals: { prop_1: { proposal: { id: 42 } } } };
    await expectMovedAside(JSON.stringify(invalid), /does not match the store schema: proposals\.prop_1/);
  });

  it('moves a file from an unknown future version aside', async () => {
    await expectMovedAside(JSON.stringify({ ...emptyStoreData(), version: STORE_VERSION + 1 }), /version 2 is newer/);
  });

  it('moves a file without a version aside', async () => {
    const { version: _version, ...withoutVersion } = emptyStoreData();
    await expectMovedAside(JSON.stringify(withoutVersion), /missing or invalid "version"/);
  });

  it('never overwrites an earlier moved-aside file', async () => {
    await mkdir(join(dir, 'nested'), { recursive: true });
    await writeFile(file, 'first garbage');
    const first = await openStore();
    await writeFile(file, 'second garbage');
    const second = await openStore();
    expect(second.recovered!.movedTo).not.toBe(first.recovered!.movedTo);
    expect(await readFile(first.recovered!.movedTo, 'utf8')).toBe('first garbage');
    expect(await readFile(second.recovered!.movedTo, 'utf8')).toBe('second garbage');
  });

  it('propagates read errors that are not about the contents', async () => {
    await mkdir(file, { recursive: true }); // a directory where the file should be: EISDIR, nothing to move aside
    await expect(Store.open({ file })).rejects.toThrow(/EISDIR/);
  });
});

describe('migrate', () => {
  it('passes the current version through and refuses unknown ones', () => {
    expect(migrate(emptyStoreData())).toEqual(emptyStoreData());
    expect(() => migrate({ version: 99 })).toThrow(/newer than this build/);
    expect(() => migrate({ version: 0 })).toThrow(/invalid "version"/);
    expect(() => migrate([])).toThrow(/not a JSON object/);
  });
});

describe('crash safety', () => {
  function startWriter(proposalCount: number): { child: ChildProcess; firstWrite: Promise<string> } {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASH_WRITER, file, String(proposalCount)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    const firstWrite = new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('wrote ')) resolve(output);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        errors += chunk.toString();
      });
      child.on('exit', (code, signal) =>
        reject(new Error(`writer exited (${code ?? signal}) before writing: ${output}${errors}`)),
      );
    });
    return { child, firstWrite };
  }

  function killed(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  }

  it('leaves a whole, valid file when the writer is SIGKILLed mid-write', { timeout: 120_000 }, async () => {
    const kills = 8;
    const delays: number[] = [];
    let killsWithTempFilePresent = 0;
    let lastGeneration = 0;

    for (let kill = 0; kill < kills; kill += 1) {
      const { child, firstWrite } = startWriter(8000);
      try {
        await firstWrite;
        // Each write of this store takes ~100 ms here; random moments land in serialising, writing, fsync or rename.
        const delay = Math.floor(Math.random() * 400);
        delays.push(delay);
        await new Promise((resolve) => setTimeout(resolve, delay));
      } finally {
        child.kill('SIGKILL');
        await killed(child);
      }

      if (existsSync(join(dir, 'nested', '.hiring-bot.json.tmp'))) killsWithTempFilePresent += 1;
      const text = await readFile(file, 'utf8');
      const data = storeDataSchema.parse(JSON.parse(text));
      // Every proposal carries the generation of the snapshot it was written with: one value means a whole snapshot.
      const generations = new Set(Object.values(data.proposals).map((stored) => stored.proposal.updatedAt));
      expect(Object.keys(data.proposals)).toHaveLength(8000);
      expect([...generations]).toEqual([data.health.lastSyncAt]);
      const generation = Number(data.health.lastSyncAt);
      expect(generation).toBeGreaterThanOrEqual(lastGeneration);
      lastGeneration = generation;
    }

    const entries = await readdir(join(dir, 'nested'));
    expect(entries.filter((entry) => entry.includes('.corrupt-'))).toEqual([]);
    const reopened = await openStore();
    expect(reopened.recovered).toBeNull();
    console.log(
      `crash test: ${kills} SIGKILLs after ${delays.join(', ')} ms; ` +
        `temp file present (killed mid-write) ${killsWithTempFilePresent}×; last generation ${lastGeneration}`,
    );
  });
});

describe('large stores', () => {
  it('opens 50,000 proposals (sanity print, not a timed assertion)', { timeout: 60_000 }, async () => {
    await mkdir(join(dir, 'nested'), { recursive: true });
    const text = JSON.stringify(storeDataWithProposals(50_000));
    await writeFile(file, text);
    const started = performance.now();
    const store = await openStore();
    const openMs = performance.now() - started;
    expect(store.recovered).toBeNull();
    expect(Object.keys(store.data.proposals)).toHaveLength(50_000);
    console.log(`opened 50,000 proposals (${(text.length / 1e6).toFixed(1)} MB) in ${Math.round(openMs)} ms`);
  });
});
