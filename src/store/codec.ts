import { z } from 'zod';
import { errorText } from '../error-text.js';
import {
  BUILD,
  describeIssues,
  emptyHeader,
  isRecord,
  migrate,
  type RawStore,
  type StoreHeader,
  salvageHeader,
  setOwn,
  versionOf,
} from './header.js';
import { LineFileWriter } from './lines.js';
import { emptyStoreData, STORE_VERSION, type StoreData, storedProposalSchema } from './schema.js';

export { BUILD, migrate, StoreVersionError } from './header.js';

/*
 * The store file's format and its salvaging decoder.
 *
 * File format (JSON Lines, UTF-8, every line ends with "\n"):
 *   line 1      the header: every StoreData field except `proposals`, plus `proposalCount` and `writtenBy` (the
 *               build that wrote it, named when an older build refuses the file)
 *   line 2..n   one stored proposal per line, as `[id, storedProposal]`, in `data.proposals` order
 * The previous format, one JSON object holding everything (its first line is an object with a `proposals` key, maybe
 * pretty-printed over several lines), is still read and is replaced by this format at the next write.
 *
 * Damage never costs what can still be read: a proposal line that isn't JSON, isn't an `[id, proposal]` pair, fails
 * its schema or repeats an id is a bad record (kept aside, reported) and every other line is kept; a truncated last
 * line is just such a bad record; an unreadable header loses only the header (defaults instead), and a header with
 * some invalid fields loses only those fields. The one thing refused is a file written by a newer version.
 */

/** A record that could not be read: its line (null in the single-object format), raw text and why. */
export interface BadRecord {
  line: number | null;
  /** The proposal id, when the damaged text still shows it. */
  id: string | null;
  reason: string;
  text: string;
}

/** What was damaged in a file; absent when the file was whole. */
export interface DecodeReport {
  bad: BadRecord[];
  /** Proposals the header counted that are not in the file at all (cut at a line boundary). */
  missing: number;
  /** Header fields that could not be read and were reset; `*` = the whole header line. */
  headerFieldsLost: string[];
}

export interface Decoded {
  data: StoreData;
  report: DecodeReport | null;
}

// z.compile: same results and issues as the plain schema, several times faster. One instance each, built once.
const proposalSchema = z.compile(storedProposalSchema);
const proposalCountSchema = z.number().int().min(0);

function jsonError(error: unknown): string {
  return errorText(error).slice(0, 200);
}

/** The id at the start of a damaged `["id", …` line, if it is still readable. */
function idFromDamagedLine(text: string): string | null {
  const match = /^\s*\[\s*("(?:[^"\\]|\\.)*")/.exec(text);
  if (!match) return null;
  try {
    const id = JSON.parse(match[1]!) as unknown;
    return typeof id === 'string' && id.length > 0 ? id : null;
  } catch {
    return null;
  }
}

/**
 * Turns a store file into StoreData, fed one line at a time, salvaging what it can (see the format above). Proposal
 * lines of a current-version file are validated as they arrive, so a large file is never held twice.
 */
export class StoreFileDecoder {
  #lineNumber = 0;
  #mode: 'start' | 'legacy' | 'lines' | 'unparsed' | 'older' = 'start';
  /** Legacy mode: the whole store object. */
  #legacy: RawStore | null = null;
  /** Unparsed mode: the lines, for one more try as a whole (legacy JSON pretty-printed over several lines). */
  #unparsed: string[] = [];
  #headerRaw: RawStore = {};
  #header: StoreHeader | null = null;
  #expected: number | null = null;
  #count = 0;
  readonly #proposals: Record<string, unknown> = {};
  readonly #bad: BadRecord[] = [];
  #headerFieldsLost: string[] = [];

  constructor(private readonly file = 'the store file') {}

  line(text: string): void {
    this.#lineNumber += 1;
    switch (this.#mode) {
      case 'start':
        this.#first(text);
        return;
      case 'lines':
      case 'older':
        this.#proposalLine(text, this.#lineNumber);
        return;
      case 'legacy':
        if (text.trim() !== '') this.#addBad(this.#lineNumber, null, 'content after the store object', text);
        return;
      case 'unparsed':
        this.#unparsed.push(text);
        return;
    }
  }

  finish(): Decoded {
    switch (this.#mode) {
      case 'start':
        // An empty file: nothing to read, so everything the header held is lost.
        return this.#result(emptyStoreData(), ['*']);
      case 'legacy':
        return this.#fromObject(this.#legacy!);
      case 'unparsed':
        return this.#finishUnparsed();
      case 'older':
        return this.#fromObject({ ...this.#headerRaw, proposals: this.#proposals });
      case 'lines':
        break;
    }
    // Lines that were there but unreadable are quarantined, not missing.
    const seen = this.#count + this.#bad.filter((bad) => bad.line !== null && bad.line > 1).length;
    const missing = this.#expected !== null && seen < this.#expected ? this.#expected - seen : 0;
    const header = this.#header ?? salvageHeader({}).header;
    return this.#result(
      { ...header, proposals: this.#proposals as StoreData['proposals'] },
      this.#headerFieldsLost,
      missing,
    );
  }

  #first(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.#mode = 'unparsed';
      this.#unparsed.push(text);
      return;
    }
    if (Array.isArray(raw)) {
      // The header line is gone and the file starts with a proposal: keep the proposals, reset the header.
      this.#startLines(emptyHeader(), ['*']);
      this.#proposalLine(text, 1);
      return;
    }
    if (!isRecord(raw)) {
      this.#startLines(emptyHeader(), ['*']);
      this.#addBad(1, null, 'the header line is not a JSON object', text);
      return;
    }
    if ('proposals' in raw) {
      this.#mode = 'legacy';
      this.#legacy = raw;
      return;
    }
    // A newer version stops here (StoreVersionError), before its lines are misread.
    const { proposalCount, ...rest } = raw;
    const migratable = versionOf(raw) === null || versionOf(raw) === STORE_VERSION;
    const count = proposalCountSchema.safeParse(proposalCount);
    this.#expected = count.success ? count.data : null;
    if (!migratable) {
      migrate(raw, this.file);
      this.#mode = 'older';
      this.#headerRaw = rest;
      return;
    }
    const { header, lost } = salvageHeader(rest);
    this.#startLines(header, count.success ? lost : [...lost, 'proposalCount']);
  }

  #startLines(header: StoreHeader, lost: string[]): void {
    this.#mode = 'lines';
    this.#header = header;
    this.#headerFieldsLost = lost;
  }

  #proposalLine(text: string, line: number): void {
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch (error) {
      // An empty line holds no record: nothing is lost by skipping it.
      if (text.trim() !== '') this.#addBad(line, idFromDamagedLine(text), `not valid JSON: ${jsonError(error)}`, text);
      return;
    }
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      this.#addBad(line, null, 'not an [id, proposal] pair', text);
      return;
    }
    const [id, stored] = entry as [string, unknown];
    if (Object.hasOwn(this.#proposals, id)) {
      this.#addBad(line, id, `proposal ${JSON.stringify(id)} appears twice (the first is kept)`, text);
      return;
    }
    if (this.#mode === 'lines') {
      const problem = proposalProblem(stored);
      if (problem) {
        this.#addBad(line, id, problem, text);
        return;
      }
    }
    this.#count += 1;
    setOwn(this.#proposals, id, stored);
  }

  #finishUnparsed(): Decoded {
    const lines = this.#unparsed;
    this.#unparsed = [];
    try {
      const raw = JSON.parse(lines.join('\n')) as unknown;
      if (isRecord(raw) && 'proposals' in raw) return this.#fromObject(raw);
    } catch {
      // Not the old format over several lines: an unreadable header followed by proposal lines.
    }
    this.#startLines(emptyHeader(), ['*']);
    this.#addBad(1, null, 'the header line is not valid JSON', lines[0] ?? '');
    for (let index = 1; index < lines.length; index += 1) this.#proposalLine(lines[index]!, index + 1);
    return this.finish();
  }

  /** The single-object format (or an older line file, migrated as a whole): header fields and proposals salvaged. */
  #fromObject(raw: RawStore): Decoded {
    const migrated = migrate(raw, this.file);
    const { proposals, proposalCount: _count, ...rest } = migrated;
    const { header, lost } = salvageHeader(rest);
    const kept: Record<string, unknown> = {};
    if (isRecord(proposals)) {
      for (const [id, stored] of Object.entries(proposals)) {
        const problem = proposalProblem(stored);
        if (problem) this.#addBad(null, id, problem, JSON.stringify([id, stored]));
        else setOwn(kept, id, stored);
      }
    } else lost.push('proposals');
    return this.#result({ ...header, proposals: kept as StoreData['proposals'] }, lost);
  }

  #addBad(line: number | null, id: string | null, reason: string, text: string): void {
    this.#bad.push({ line, id, reason, text });
  }

  #result(data: StoreData, headerFieldsLost: string[], missing = 0): Decoded {
    const damaged = this.#bad.length > 0 || headerFieldsLost.length > 0 || missing > 0;
    return { data, report: damaged ? { bad: this.#bad, missing, headerFieldsLost } : null };
  }
}

/**
 * Why a stored proposal is unusable, or null when it validates. The caller keeps the object it parsed, not zod's copy:
 * holding both would double the memory of a large store (the copy differs only in unknown keys, kept as they are).
 */
function proposalProblem(stored: unknown): string | null {
  const result = proposalSchema.safeParse(stored);
  return result.success ? null : `does not match the store schema: ${describeIssues(result.error.issues)}`;
}

/** Parses, migrates and salvages a store file's text (either format). */
export function decodeStoreText(text: string, file?: string): Decoded {
  const decoder = new StoreFileDecoder(file);
  let start = 0;
  for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
    decoder.line(text.slice(start, newline));
    start = newline + 1;
  }
  if (start < text.length) decoder.line(text.slice(start));
  return decoder.finish();
}

/** The data of a store file's text (salvaged where damaged; see `decodeStoreText` for what was lost). */
export function decodeStore(text: string): StoreData {
  return decodeStoreText(text).data;
}

/** Writes `data` in the line format to `file` (synchronously up to the fsync; see LineFileWriter) and syncs it. */
export async function writeStoreFile(file: string, data: StoreData): Promise<void> {
  const writer = new LineFileWriter(file);
  try {
    const { proposals, ...header } = data;
    // An entry set to undefined is left out, as JSON.stringify of the whole object used to do.
    const ids = Object.keys(proposals).filter((id) => proposals[id] !== undefined);
    writer.line(JSON.stringify({ ...header, writtenBy: BUILD, proposalCount: ids.length }));
    for (const id of ids) writer.line(JSON.stringify([id, proposals[id]]));
  } catch (error) {
    writer.close();
    throw error;
  }
  await writer.syncAndClose();
}
