import type { Proposal } from '../domain.js';
import { own, setOwn } from '../records.js';
import { addHireEventsIn } from './hire-records.js';
import { adoptIn, markDueIn, recordIntentIn } from './operations.js';
import type { PendingHireEvent, StoreData, StoredJob } from './schema.js';
import type { FoundCardView } from './views.js';

/**
 * What one sync cycle learned, as plain data: the store writes all of it in one `change()` (one file write), so the
 * proposals, their card intents, the ledger cursor and the health line reach the disk together or not at all.
 */
export interface SyncCommit {
  /** Jobs first seen through one of their proposals. */
  newJobs: Map<string, StoredJob>;
  /** Fresh proposal details by id, new proposals and changed known ones alike. */
  proposals: Map<string, Proposal>;
  /** New proposals whose card is to be posted: proposal id → channel. */
  intents: Map<string, string>;
  /** New proposals tied to their card found in channel history (the found-card record is used up). */
  links: Map<string, FoundCardView>;
  /** Known proposals with news (a status change, new scores): their posted card is due a re-render. */
  updated: Set<string>;
  /** Proposals read again after failing: their failure record goes. */
  readAgain: Set<string>;
  /** The ledger position, when the cycle moved it; `backfilledAt` when the first run finished. */
  ledger: { cursor: string | null; backfilledAt?: string } | null;
  /** Drop proposals whose card (or, without a card, whose creation) is older than this (RETENTION_DAYS). */
  pruneBefore: number | null;
  health: { mode: 'ledger' | 'polling' } | { error: string };
  /** Approval and contract events the ledger brought: kept waiting for the hire service with the cursor's move. */
  hireEvents: PendingHireEvent[];
}

export function emptySyncCommit(): SyncCommit {
  return {
    newJobs: new Map(),
    proposals: new Map(),
    intents: new Map(),
    links: new Map(),
    updated: new Set(),
    readAgain: new Set(),
    ledger: null,
    pruneBefore: null,
    health: { mode: 'ledger' },
    hireEvents: [],
  };
}

/** Applies a sync commit inside one `change()`; returns the ids of the proposals pruned (and their jobs). */
export function applySyncCommit(
  data: StoreData,
  commit: SyncCommit,
  at: string,
): { pruned: string[]; prunedJobs: Set<string> } {
  for (const [id, job] of commit.newJobs) if (!own(data.jobs, id)) setOwn(data.jobs, id, job);
  for (const [id, proposal] of commit.proposals) {
    const existing = own(data.proposals, id);
    if (existing) {
      existing.proposal = proposal;
      if (commit.updated.has(id)) markDueIn(data, id, 'person');
      continue;
    }
    const found = commit.links.get(id);
    setOwn(data.proposals, id, {
      proposal,
      card: null,
      votes: found ? { ...found.votes } : {},
      notes: found ? [...found.notes] : [],
      conversation: null,
    });
    if (found) {
      adoptIn(data, id, found.channel, found.ts, at);
      if (data.foundCards) delete data.foundCards[id];
    } else {
      const channel = commit.intents.get(id);
      if (channel) recordIntentIn(data, id, channel, at);
    }
  }
  for (const id of commit.readAgain) if (data.failingProposals) delete data.failingProposals[id];
  addHireEventsIn(data, commit.hireEvents);
  if (commit.ledger) {
    data.cursor = commit.ledger.cursor;
    if (commit.ledger.backfilledAt) data.backfilledAt = commit.ledger.backfilledAt;
  }
  if ('error' in commit.health) {
    data.health.lastError = commit.health.error;
    data.health.lastErrorAt = at;
  } else {
    data.health.lastSyncAt = at;
    data.health.lastError = null;
    data.health.lastErrorAt = null;
    data.health.mode = commit.health.mode;
  }
  return commit.pruneBefore === null ? { pruned: [], prunedJobs: new Set() } : prune(data, commit.pruneBefore);
}

function prune(data: StoreData, cutoff: number): { pruned: string[]; prunedJobs: Set<string> } {
  const pruned: string[] = [];
  const prunedJobs = new Set<string>();
  for (const [id, stored] of Object.entries(data.proposals)) {
    const reference = Date.parse(stored.card?.postedAt ?? stored.card?.intentAt ?? stored.proposal.createdAt);
    if (!Number.isFinite(reference) || reference >= cutoff || stored.card?.state === 'intent') continue;
    pruned.push(id);
    prunedJobs.add(stored.proposal.jobId);
    delete data.proposals[id];
  }
  return { pruned, prunedJobs };
}
