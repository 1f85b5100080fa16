import { createRequire } from 'node:module';
import { z } from 'zod';
import { emptyStoreData, STORE_VERSION, type StoreData, storeDataSchema, storedJobSchema } from './schema.js';

// The store file's header: which build and format wrote it, migrating older formats, and salvaging a header whose
// fields don't all validate (each good field kept, each bad one reset to its default).

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { name: string; version: string };

/** This build, as written into every header (`writtenBy`) and named when a newer file is refused. */
export const BUILD = `${pkg.name} ${pkg.version}`;

/** The file was written by a newer version: reading it could misread or drop what that version added. */
export class StoreVersionError extends Error {
  override readonly name = 'StoreVersionError';
  constructor(
    readonly file: string,
    readonly version: number,
    readonly writtenBy: string | null,
  ) {
    super(
      `The data file ${file} was written by ${writtenBy ?? 'a newer version of the hiring bot'} (store format ` +
        `${version}), which ${BUILD} (store format ${STORE_VERSION}) cannot read: upgrade the bot, or point ` +
        'DATA_FILE at another file.',
    );
  }
}

export type RawStore = Record<string, unknown>;
export type StoreHeader = Omit<StoreData, 'proposals'>;

/** MIGRATIONS[n] turns a version-n store into a version-(n + 1) store. Add one when STORE_VERSION is bumped. */
const MIGRATIONS: Record<number, (raw: RawStore) => RawStore> = {};

// z.compile: same results and issues as the plain schema, several times faster. Built once.
const headerSchema = z.compile(storeDataSchema.omit({ proposals: true }));
const HEADER_FIELDS = Object.keys(storeDataSchema.shape).filter((key) => key !== 'proposals' && key !== 'version');

/** A plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is RawStore {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `record[key] = value`, also for a key named `__proto__` (which plain assignment would turn into a prototype). */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

/** The first three zod issues as `path: message`, and how many more. */
export function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const shown = issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  return issues.length > 3 ? `${shown}; and ${issues.length - 3} more` : shown;
}

/** The version a parsed header or store object claims: a number, or null when it has none that makes sense. */
export function versionOf(raw: RawStore): number | null {
  const version = raw.version;
  return typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : null;
}

/**
 * Brings a parsed store object up to STORE_VERSION. Throws StoreVersionError for a newer version; an object without
 * a sensible version is taken as the current one (its fields are then checked one by one).
 */
export function migrate(raw: RawStore, file = 'the store file'): RawStore {
  const version = versionOf(raw);
  if (version === null) return { ...raw, version: STORE_VERSION };
  if (version > STORE_VERSION) {
    throw new StoreVersionError(file, version, typeof raw.writtenBy === 'string' ? raw.writtenBy : null);
  }
  let current = raw;
  for (let from = version; from < STORE_VERSION; from += 1) {
    const step = MIGRATIONS[from];
    // A gap in the migrations is a programming error, not damage: stop rather than misread the file.
    if (!step) throw new Error(`no store migration from version ${from} to ${from + 1}`);
    current = { ...step(current), version: from + 1 };
  }
  return current;
}

/**
 * The header's fields, each one that validates kept and each one that doesn't reset to its default (jobs one by
 * one). Returns the header and the names of the fields that were reset.
 */
export function salvageHeader(raw: RawStore): { header: StoreHeader; lost: string[] } {
  const whole = headerSchema.safeParse(raw);
  if (whole.success) return { header: whole.data, lost: [] };
  const { proposals: _proposals, ...defaults } = emptyStoreData();
  const header: RawStore = { ...defaults };
  const lost: string[] = versionOf(raw) === null ? ['version'] : [];
  const shape = storeDataSchema.shape as unknown as Record<string, z.ZodType>;
  for (const field of HEADER_FIELDS) {
    if (!Object.hasOwn(raw, field) || raw[field] === undefined) continue;
    const result = shape[field]!.safeParse(raw[field]);
    if (result.success) header[field] = result.data;
    else if (field === 'jobs' && isRecord(raw.jobs)) {
      const jobs: RawStore = {};
      for (const [id, job] of Object.entries(raw.jobs)) {
        const parsed = storedJobSchema.safeParse(job);
        if (parsed.success) setOwn(jobs, id, parsed.data);
        else lost.push(`jobs.${id}`);
      }
      header.jobs = jobs;
    } else lost.push(field);
  }
  // Required fields that were absent are lost too (optional ones simply weren't there).
  for (const field of HEADER_FIELDS) {
    const required = !(shape[field] as z.ZodType).safeParse(undefined).success;
    if (required && (!Object.hasOwn(raw, field) || raw[field] === undefined) && !lost.includes(field)) lost.push(field);
  }
  return { header: header as StoreHeader, lost };
}

/** Every header field at its default (a header that was lost). */
export function emptyHeader(): StoreHeader {
  const { proposals: _proposals, ...header } = emptyStoreData();
  return header;
}
