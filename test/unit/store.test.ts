import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../../src/logger.js';
import {
  BUILD,
  decodeStore,
  decodeStoreText,
  emptyStoreData,
  migrate,
  STORE_VERSION,
  Store,
  StoreClosedError,
  StoreVersionError,
  StoreWriteError,
  storeDataSchema,
  storedProposalSchema,
} from '../../src/store/index.js';
import { forEachLine } from '../../src/store/lines.js';
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

/** A store file's text as the store writes it, with `count` fixture proposals (written via a Store elsewhere). */
async function storeFileText(count: number): Promise<string> {
  const other = join(dir, 'other', 'store.json');
  const store = await Store.open({ file: other });
  store.change((data) => Object.assign(data, storeDataWithProposals(count)));
  await store.close();
  const text = await readFile(other, 'utf8');
  await rm(other);
  return text;
}

function lines(text: string): string[] {
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
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

  it('keeps data across close and reopen, written as compact JSON Lines', async () => {
    const store = await openStore();
    const stored = makeStoredProposal(1);
    const second = makeStoredProposal(2);
    store.change((data) => {
      data.cursor = '1042';
      data.proposals[stored.proposal.id] = stored;
      data.proposals[second.proposal.id] = second;
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

    // Line 1: everything but the proposals, plus their count; then one compact `[id, proposal]` line each.
    const text = await readFile(file, 'utf8');
    const { proposals, ...header } = store.data;
    expect(lines(text)).toEqual([
      JSON.stringify({ ...header, writtenBy: BUILD, proposalCount: 2 }),
      JSON.stringify([stored.proposal.id, proposals[stored.proposal.id]]),
      JSON.stringify([second.proposal.id, proposals[second.proposal.id]]),
    ]);
    expect(decodeStore(text)).toEqual(store.data);

    const reopened = await openStore();
    expect(reopened.recovered).toBeNull();
    expect(reopened.data).toEqual(store.data);
    expect(reopened.data.proposals[stored.proposal.id]).toEqual(stored);
  });

  it('keeps an empty store across reopen (header line only)', async () => {
    const store = await openStore();
    store.change((data) => {
      data.backfilledAt = '2026-01-01T00:00:00.000Z';
    });
    await store.close();
    expect(lines(await readFile(file, 'utf8'))).toHaveLength(1);
    const reopened = await openStore();
    expect(reopened.recovered).toBeNull();
    expect(reopened.data).toEqual({ ...emptyStoreData(), backfilledAt: '2026-01-01T00:00:00.000Z' });
  });

  it('survives repeated reopen-change-close cycles', async () => {
    for (let round = 0; round < 3; round += 1) {
      const store = await openStore();
      expect(store.recovered).toBeNull();
      expect(Object.keys(store.data.proposals)).toHaveLength(round * 10);
      store.change((data) => {
        for (let index = round * 10; index < (round + 1) * 10; index += 1) {
          const stored = makeStoredProposal(index);
          data.proposals[stored.proposal.id] = stored;
        }
        data.cursor = String(round);
      });
      await store.close();
    }
    const last = await openStore();
    expect(last.data).toEqual({ ...storeDataWithProposals(30), jobs: {}, cursor: '2' });
  });

  it('round-trips non-ASCII text and a proposal larger than the read and write buffers', async () => {
    const store = await openStore();
    const big = makeStoredProposal(1);
    big.proposal.candidate.displayName = 'Zoë Ångström 🚀 日本語';
    // ~2.4 MB on one line, multi-byte characters throughout: crosses many read chunks and the 1 MiB write buffer.
    big.notes = Array.from({ length: 40_000 }, (_, index) => `note ${index}: ü€😀`);
    const small = makeStoredProposal(2);
    small.notes = ['ça va — ✓'];
    store.change((data) => {
      data.proposals[small.proposal.id] = small;
      data.proposals[big.proposal.id] = big;
      data.proposals[makeStoredProposal(3).proposal.id] = makeStoredProposal(3);
    });
    await store.close();
    const reopened = await openStore();
    expect(reopened.recovered).toBeNull();
    expect(reopened.data).toEqual(store.data);
    expect(Object.keys(reopened.data.proposals)).toEqual(['prop_000002', 'prop_000001', 'prop_000003']);
  });

  it('splits lines correctly across read chunks, multi-byte characters included', async () => {
    await mkdir(join(dir, 'nested'), { recursive: true });
    const expected = ['', 'a', '€'.repeat(100_000), 'x'.repeat(262_143), 'é', '😀'.repeat(70_000), '', 'tail'];
    await writeFile(file, expected.join('\n'));
    const seen: string[] = [];
    await forEachLine(file, (line) => seen.push(line));
    expect(seen).toEqual(expected);
    await writeFile(file, `${expected.join('\n')}\n`);
    seen.length = 0;
    await forEachLine(file, (line) => seen.push(line));
    expect(seen).toEqual(expected);
  });

  it('keeps unknown keys of a stored proposal (the parsed object is kept, not zod’s copy)', async () => {
    // Proposals are validated but not replaced by zod's output (that copy would double the memory); the only
    // difference between the two is that z.object strips keys it doesn't know. Header fields go through zod as before.
    const stored = { ...makeStoredProposal(1), addedByANewerBuild: { x: 1 } };
    await mkdir(join(dir, 'nested'), { recursive: true });
    const header = { ...emptyStoreData(), unknownHeaderField: true, proposalCount: 1 };
    delete (header as Partial<typeof header>).proposals;
    await writeFile(file, `${JSON.stringify(header)}\n${JSON.stringify([stored.proposal.id, stored])}\n`);

    const store = await openStore();
    expect(store.recovered).toBeNull();
    expect(store.data.proposals[stored.proposal.id]).toEqual(stored);
    expect(store.data).not.toHaveProperty('unknownHeaderField');
    expect(store.data).not.toHaveProperty('proposalCount');
    expect(storedProposalSchema.parse(stored)).toEqual(makeStoredProposal(1));
  });

  it('uses compiled validators for the store schemas (no silent fallback to the slower runtime parser)', () => {
    expect(() => z.compile(storedProposalSchema, { strict: true })).not.toThrow();
    expect(() => z.compile(storeDataSchema.omit({ proposals: true }), { strict: true })).not.toThrow();
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

describe('legacy single-object format', () => {
  it('opens a file in the old format and rewrites it as JSON Lines on the next write', async () => {
    await mkdir(join(dir, 'nested'), { recursive: true });
    const legacy = storeDataWithProposals(25);
    legacy.health.lastSyncAt = '2026-02-01T00:00:00.000Z';
    const legacyText = JSON.stringify(legacy);
    await writeFile(file, legacyText);

    const store = await openStore();
    expect(store.recovered).toBeNull();
    expect(store.data).toEqual(legacy);
    expect(store.writeCount).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(legacyText); // untouched until something changes

    store.change((data) => {
      data.cursor = 'migrated';
    });
    await store.flush();
    const text = await readFile(file, 'utf8');
    const [headerLine, ...proposalLines] = lines(text);
    expect(JSON.parse(headerLine!)).toMatchObject({ version: STORE_VERSION, cursor: 'migrated', proposalCount: 25 });
    expect(JSON.parse(headerLine!)).not.toHaveProperty('proposals');
    expect(proposalLines).toHaveLength(25);

    const reopened = await openStore();
    expect(reopened.recovered).toBeNull();
    expect(reopened.data).toEqual({ ...legacy, cursor: 'migrated' });
  });

  it('opens an old-format file written over several lines (pretty-printed by hand)', async () => {
    await mkdir(join(dir, 'nested'), { recursive: true });
    const legacy = storeDataWithProposals(3);
    await writeFile(file, `${JSON.stringify(legacy, null, 2)}\n`);
    const store = await openStore();
    expect(store.recovered).toBeNull();
    expect(store.data).toEqual(legacy);
  });

  it('decodes both formats from text', async () => {
    const data = storeDataWithProposals(4);
    expect(decodeStore(JSON.stringify(data))).toEqual(data);
    expect(decodeStore(await storeFileText(4))).toEqual(data);
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

  it('writes the data as it was when the write started, not changes made while it is in flight', async () => {
    const store = await openStore();
    store.change((data) => Object.assign(data, storeDataWithProposals(2000)));
    const first = store.flush();
    store.change((data) => {
      for (const stored of Object.values(data.proposals)) stored.proposal.updatedAt = 'changed during the write';
      data.cursor = 'changed during the write';
    });
    await first;
    const written = decodeStore(await readFile(file, 'utf8'));
    expect(written).toEqual(storeDataWithProposals(2000));
    await store.flush();
    const rewritten = decodeStore(await readFile(file, 'utf8'));
    expect(rewritten.cursor).toBe('changed during the write');
    expect(new Set(Object.values(rewritten.proposals).map((stored) => stored.proposal.updatedAt))).toEqual(
      new Set(['changed during the write']),
    );
  });

  it('leaves out a proposal entry set to undefined, as before', async () => {
    const store = await openStore();
    store.change((data) => {
      data.proposals.prop_000001 = makeStoredProposal(1);
      (data.proposals as Record<string, unknown>).prop_gone = undefined;
    });
    await store.close();
    const reopened = await openStore();
    expect(reopened.recovered).toBeNull();
    expect(Object.keys(reopened.data.proposals)).toEqual(['prop_000001']);
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

describe('change listeners', () => {
  it('hears a burst of changes once, after them; a listener that throws is logged and never reaches the writer', async () => {
    const { lines: logged, logger } = captureLogger();
    const store = await openStore({ logger });
    const seen: (string | null)[] = [];
    const stop = store.onChange(() => seen.push(store.data.cursor));
    store.onChange(() => {
      throw new Error('listener bug');
    });
    store.change((data) => {
      data.cursor = '1';
    });
    store.change((data) => {
      data.cursor = '2';
    });
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen).toEqual(['2']);
    expect(logged.join('\n')).toContain('listener bug');
    stop();
    store.change((data) => {
      data.cursor = '3';
    });
    await Promise.resolve();
    expect(seen).toEqual(['2']);
  });
});

describe('damaged files: salvage record by record', () => {
  /** Writes `bytes` as the store file, opens it, and returns the store, its log and the quarantined records. */
  async function openDamaged(bytes: string) {
    await mkdir(join(dir, 'nested'), { recursive: true });
    await writeFile(file, bytes);
    const { lines: log, logger } = captureLogger();
    const store = await openStore({ logger });
    const quarantineFile = store.recovered?.quarantineFile ?? null;
    const quarantined = quarantineFile
      ? lines(await readFile(quarantineFile, 'utf8')).map((line) => JSON.parse(line) as Record<string, unknown>)
      : [];
    return { store, log, quarantined, quarantineFile };
  }

  const ids = (store: Store) => Object.keys(store.data.proposals).sort();
  const fixtureIds = (count: number, except: number[] = []) =>
    Array.from({ length: count }, (_, index) => index)
      .filter((index) => !except.includes(index))
      .map((index) => makeStoredProposal(index).proposal.id);

  it('keeps the 12 good lines of 13 and quarantines the bad one, with its line, id, reason and raw text', async () => {
    const valid = lines(await storeFileText(13));
    const bad = `${valid[7]!.slice(0, 60)} garbage`;
    valid[7] = bad;
    const { store, log, quarantined, quarantineFile } = await openDamaged(`${valid.join('\n')}\n`);

    expect(ids(store)).toEqual(fixtureIds(13, [6]));
    expect(store.data.proposals.prop_000003).toEqual(makeStoredProposal(3));
    expect(store.data.cursor).toBe('1042');
    expect(Object.keys(store.data.jobs)).toHaveLength(20);
    expect(quarantineFile).toMatch(/hiring-bot\.json\.quarantine-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/);
    expect(quarantined).toEqual([
      { line: 8, id: 'prop_000006', reason: expect.stringMatching(/^not valid JSON/), text: bad },
    ]);
    expect(store.recovered).toMatchObject({
      quarantined: 1,
      missing: 0,
      headerFieldsLost: [],
      cardsReconciledAt: null,
    });
    expect(store.data.recovery).toEqual(store.recovered);
    const errors = log.filter((line) => line.includes(' ERROR '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('kept 12 proposal records; quarantined 1 unreadable record(s)');

    // The salvaged data replaced the damaged file at once: reopening finds a whole file.
    const reopened = await openStore();
    expect(reopened.recovered).toBeNull();
    expect(ids(reopened)).toEqual(fixtureIds(13, [6]));
    expect(reopened.data.recovery).toEqual(store.recovered);
  });

  it('keeps everything but a truncated last line', async () => {
    const text = await storeFileText(5);
    const cut = text.slice(0, text.length - 100);
    const { store, quarantined } = await openDamaged(cut);
    expect(ids(store)).toEqual(fixtureIds(4));
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]).toMatchObject({ line: 6, id: 'prop_000004' });
    expect(store.data.cursor).toBe('1042');
  });

  it('counts records lost at a line boundary as missing (nothing to quarantine)', async () => {
    const text = await storeFileText(3);
    const { store, quarantineFile } = await openDamaged(text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1));
    expect(ids(store)).toEqual(fixtureIds(2));
    expect(quarantineFile).toBeNull();
    expect(store.recovered).toMatchObject({ quarantined: 0, missing: 1 });
  });

  it('keeps the proposal lines when the header line is unreadable, and makes the next sync a first run', async () => {
    const [header, ...rest] = lines(await storeFileText(4));
    const { store, quarantined } = await openDamaged(`${[header!.slice(0, 40), ...rest].join('\n')}\n`);
    expect(ids(store)).toEqual(fixtureIds(4));
    expect(quarantined).toEqual([
      { line: 1, id: null, reason: 'the header line is not valid JSON', text: header!.slice(0, 40) },
    ]);
    expect(store.recovered?.headerFieldsLost).toEqual(['*']);
    // The cursor is unknown: the sync must drain the ledger again without posting history.
    expect(store.data.cursor).toBeNull();
    expect(store.data.backfilledAt).toBeNull();
  });

  it('keeps the proposal lines when the header line is missing altogether', async () => {
    const [, ...rest] = lines(await storeFileText(3));
    const { store, quarantined } = await openDamaged(`${rest.join('\n')}\n`);
    expect(ids(store)).toEqual(fixtureIds(3));
    expect(quarantined).toEqual([]);
    expect(store.recovered?.headerFieldsLost).toEqual(['*']);
  });

  it('keeps the valid fields of a schema-invalid header and resets only the broken ones', async () => {
    const [header, ...rest] = lines(await storeFileText(2));
    const parsed = JSON.parse(header!) as Record<string, unknown>;
    const jobs = parsed.jobs as Record<string, Record<string, unknown>>;
    jobs.job_3 = { ...jobs.job_3, status: 7 };
    const broken = {
      ...parsed,
      globalWeights: { interview: 'lots', match: 1, price: 1 },
      backfilledAt: 5,
      jobs,
    };
    const { store } = await openDamaged(`${[JSON.stringify(broken), ...rest].join('\n')}\n`);
    expect(ids(store)).toEqual(fixtureIds(2));
    expect(store.recovered?.headerFieldsLost.sort()).toEqual(['backfilledAt', 'globalWeights', 'jobs.job_3']);
    expect(Object.keys(store.data.jobs)).toHaveLength(19);
    expect(store.data.globalWeights).toBeNull();
    // The cursor survived, so the first run evidently happened: no new first run.
    expect(store.data.cursor).toBe('1042');
    expect(store.data.backfilledAt).not.toBeNull();
  });

  it('quarantines schema-invalid, non-pair and repeated lines and skips empty ones', async () => {
    const valid = lines(await storeFileText(5));
    const broken = makeStoredProposal(1) as unknown as { proposal: { id: unknown } };
    broken.proposal.id = 42;
    valid[2] = JSON.stringify(['prop_000001', broken]);
    valid[3] = JSON.stringify(makeStoredProposal(2));
    valid.push(valid[5]!, '');
    const { store, quarantined } = await openDamaged(`${valid.join('\n')}\n`);
    expect(ids(store)).toEqual(fixtureIds(5, [1, 2]));
    expect(quarantined.map((bad) => [bad.line, bad.id])).toEqual([
      [3, 'prop_000001'],
      [4, null],
      [7, 'prop_000004'],
    ]);
    expect(quarantined[0]!.reason).toMatch(/does not match the store schema: proposal\.id/);
    expect(quarantined[1]!.reason).toBe('not an [id, proposal] pair');
    expect(quarantined[2]!.reason).toMatch(/appears twice/);
  });

  it('opens an empty file as an empty store, noted as a salvage (the first run then looks for existing cards)', async () => {
    const { store, quarantineFile } = await openDamaged('');
    expect(store.data.proposals).toEqual({});
    expect(store.data.backfilledAt).toBeNull();
    expect(quarantineFile).toBeNull();
    expect(store.recovered).toMatchObject({ quarantined: 0, headerFieldsLost: ['*'] });
  });

  it('quarantines a whole garbage file (nothing readable) and starts empty', async () => {
    const { store, quarantined } = await openDamaged('{"version":1,"cursor":"12", garbage');
    expect(store.data.proposals).toEqual({});
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]!.text).toBe('{"version":1,"cursor":"12", garbage');
  });

  it('salvages the proposals of a damaged single-object (old format) file one by one', async () => {
    const legacy = storeDataWithProposals(3) as unknown as { proposals: Record<string, { proposal: { id: unknown } }> };
    legacy.proposals.prop_000001!.proposal.id = 42;
    const { store, quarantined } = await openDamaged(JSON.stringify(legacy));
    expect(ids(store)).toEqual(fixtureIds(3, [1]));
    expect(quarantined).toEqual([
      expect.objectContaining({ line: null, id: 'prop_000001', reason: expect.stringMatching(/store schema/) }),
    ]);
  });

  it('never overwrites an earlier quarantine file', async () => {
    const first = await openDamaged('first garbage');
    const second = await openDamaged('second garbage');
    expect(second.quarantineFile).not.toBe(first.quarantineFile);
    expect(first.quarantined[0]!.text).toBe('first garbage');
    expect(second.quarantined[0]!.text).toBe('second garbage');
  });

  it('refuses a file written by a newer version, naming that version, and leaves it untouched', async () => {
    const header = JSON.stringify({
      version: STORE_VERSION + 1,
      writtenBy: 'opentrain-hiring-bot 9.0.0',
      proposalCount: 1,
    });
    const bytes = `${header}\n{"a future line shape": true}\n`;
    await mkdir(join(dir, 'nested'), { recursive: true });
    await writeFile(file, bytes);
    const opening = Store.open({ file });
    await expect(opening).rejects.toBeInstanceOf(StoreVersionError);
    await expect(opening).rejects.toThrow(
      `The data file ${file} was written by opentrain-hiring-bot 9.0.0 (store format ${STORE_VERSION + 1}), which ${BUILD} (store format ${STORE_VERSION}) cannot read: upgrade the bot, or point DATA_FILE at another file.`,
    );
    expect(await readFile(file, 'utf8')).toBe(bytes);
    expect((await readdir(join(dir, 'nested'))).sort()).toEqual(['hiring-bot.json']);
  });

  it('refuses a newer single-object file too', () => {
    expect(() => decodeStoreText(JSON.stringify({ ...emptyStoreData(), version: STORE_VERSION + 3 }))).toThrow(
      /a newer version of the hiring bot \(store format 4\)/,
    );
  });

  it('propagates read errors that are not about the contents', async () => {
    await mkdir(file, { recursive: true }); // a directory where the file should be: EISDIR, nothing to salvage
    await expect(Store.open({ file })).rejects.toThrow(/EISDIR/);
  });
});

describe('salvage codec (decodeStoreText)', () => {
  it('reports nothing for a whole file in either format', async () => {
    const data = storeDataWithProposals(4);
    expect(decodeStoreText(JSON.stringify(data))).toEqual({ data, report: null });
    expect(decodeStoreText(await storeFileText(4))).toEqual({ data, report: null });
  });

  it('keeps a proposal whose id is __proto__ as an own key, never as a prototype', () => {
    const header = JSON.stringify({ ...emptyStoreData(), proposals: undefined, proposalCount: 1 });
    const text = `${header}\n${JSON.stringify(['__proto__', makeStoredProposal(1)])}\n`;
    const { data, report } = decodeStoreText(text);
    expect(report).toBeNull();
    expect(Object.hasOwn(data.proposals, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(data.proposals)).toBe(Object.prototype);
  });

  it('reads the id of a damaged line only when it is whole', () => {
    const header = JSON.stringify({ ...emptyStoreData(), proposals: undefined, proposalCount: 3 });
    const text = [header, '["prop_a",{"pro', '["prop_\\"b\\"", garbage', '["prop_c'].join('\n');
    const { report } = decodeStoreText(text);
    expect(report?.bad.map((bad) => bad.id)).toEqual(['prop_a', 'prop_"b"', null]);
    expect(report?.missing).toBe(0);
  });

  it('treats a header without a version as the current version with that field lost', () => {
    const { version: _version, ...rest } = emptyStoreData();
    const { data, report } = decodeStoreText(
      JSON.stringify({ ...rest, cursor: '7', proposals: undefined, proposalCount: 0 }),
    );
    expect(data.version).toBe(STORE_VERSION);
    expect(report?.headerFieldsLost).toEqual(['version']);
  });
});

describe('migrate', () => {
  it('passes the current version through and refuses newer ones', () => {
    expect(migrate(emptyStoreData())).toEqual(emptyStoreData());
    expect(() => migrate({ version: 99 })).toThrow(StoreVersionError);
    expect(migrate({ cursor: null })).toEqual({ cursor: null, version: STORE_VERSION });
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
      const data = decodeStore(text);
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
    const writer = await openStore();
    writer.change((data) => Object.assign(data, storeDataWithProposals(50_000)));
    let started = performance.now();
    await writer.close();
    const writeMs = performance.now() - started;
    const bytes = (await readFile(file)).length;
    started = performance.now();
    const store = await openStore();
    const openMs = performance.now() - started;
    expect(store.recovered).toBeNull();
    expect(Object.keys(store.data.proposals)).toHaveLength(50_000);
    expect(store.data.proposals.prop_049999).toEqual(makeStoredProposal(49_999));
    console.log(
      `50,000 proposals (${(bytes / 1e6).toFixed(1)} MB JSON Lines): written in ${Math.round(writeMs)} ms, ` +
        `opened in ${Math.round(openMs)} ms`,
    );
  });

  it('opens 50,000 proposals in the old single-object format (sanity print)', { timeout: 60_000 }, async () => {
    await mkdir(join(dir, 'nested'), { recursive: true });
    const text = JSON.stringify(storeDataWithProposals(50_000));
    await writeFile(file, text);
    const started = performance.now();
    const store = await openStore();
    const openMs = performance.now() - started;
    expect(store.recovered).toBeNull();
    expect(Object.keys(store.data.proposals)).toHaveLength(50_000);
    console.log(
      `opened 50,000 proposals (${(text.length / 1e6).toFixed(1)} MB, old format) in ${Math.round(openMs)} ms`,
    );
  });
});
