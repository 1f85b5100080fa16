import { access, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DecodeReport } from './codec.js';
import { syncDirectory } from './durable-file.js';
import type { StoreRecovery } from './schema.js';

// A damaged store file: its unreadable records go to a side file next to it (one JSON line each, with the line
// number, the proposal id when still readable, the reason and the raw text), so nothing is thrown away, and the
// store keeps a note of what happened for the log and `/hiring status`.

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** `<file>.quarantine-<ISO time with : and . replaced>`, suffixed if that name is taken; never overwrites. */
async function quarantineFileName(file: string, now: Date): Promise<string> {
  const base = `${file}.quarantine-${now.toISOString().replace(/[:.]/g, '-')}`;
  let candidate = base;
  for (let attempt = 1; await exists(candidate); attempt += 1) candidate = `${base}-${attempt}`;
  return candidate;
}

/** Writes the report's bad records to a new side file (durably) and returns its path; null when there are none. */
export async function quarantineBadRecords(file: string, report: DecodeReport, now: Date): Promise<string | null> {
  if (report.bad.length === 0) return null;
  const target = await quarantineFileName(file, now);
  const handle = await open(target, 'wx');
  try {
    const text = report.bad.map((bad) => JSON.stringify(bad)).join('\n');
    await handle.writeFile(`${text}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDirectory(dirname(target));
  return target;
}

/** The store's note of a salvage, persisted in the header and shown by `/hiring status`. */
export function recoveryNote(report: DecodeReport, quarantineFile: string | null, now: Date): StoreRecovery {
  return {
    at: now.toISOString(),
    quarantined: report.bad.length,
    quarantineFile,
    missing: report.missing,
    headerFieldsLost: report.headerFieldsLost,
    cardsReconciledAt: null,
  };
}

/** One log line: what was kept, what was set aside and where. */
export function describeRecovery(file: string, kept: number, recovery: StoreRecovery): string {
  const parts = [`kept ${kept} proposal record${kept === 1 ? '' : 's'}`];
  if (recovery.quarantined > 0) {
    parts.push(`quarantined ${recovery.quarantined} unreadable record(s) in ${recovery.quarantineFile}`);
  }
  if (recovery.missing > 0) parts.push(`${recovery.missing} record(s) missing (file cut short)`);
  if (recovery.headerFieldsLost.includes('*')) parts.push('the header was unreadable and was reset');
  else if (recovery.headerFieldsLost.length > 0)
    parts.push(`header fields reset: ${recovery.headerFieldsLost.join(', ')}`);
  return (
    `Store file ${file} was damaged: ${parts.join('; ')}. ` +
    'Cards of lost records are looked up in channel history before anything is posted.'
  );
}
