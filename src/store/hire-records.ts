import { own } from '../records.js';
import type { PendingHireEvent, StoreData, StoredHire } from './schema.js';
import type { StoreView } from './views.js';

// The hire service's writes (docs/opentrain.md#hiring): the proposal's `hire` record, the thread lines posted about it,
// and the approval/contract events waiting to be handled. The hire service is the only writer of all three.

type Change = (mutate: (data: StoreData) => void) => void;
type Read = () => StoreView;

/** Thread line keys kept per proposal (newest last). */
export const MAX_HIRE_LINES = 50;
/** Events kept waiting at most; beyond that the oldest are dropped (a pending approval is still read on expiry). */
export const MAX_PENDING_HIRE_EVENTS = 500;

export class HireRecords {
  constructor(
    private readonly change: Change,
    private readonly read: Read,
  ) {}

  /** The proposal's hire record is now `record`; the thread bookkeeping (posted lines, open intent) carries over. */
  set(proposalId: string, record: StoredHire): void {
    this.change((data) => {
      const stored = own(data.proposals, proposalId);
      if (!stored) return;
      const { lines, lineIntent } = stored.hire ?? {};
      stored.hire = { ...record, lines: [...(lines ?? [])], lineIntent: lineIntent ?? null };
    });
  }

  /** Whether the thread line `key` was already posted for this proposal. */
  linePosted(proposalId: string, key: string): boolean {
    return own(this.read().proposals, proposalId)?.hire?.lines?.includes(key) ?? false;
  }

  /** A thread line is about to be posted: on disk before chat.postMessage. */
  openLine(proposalId: string, key: string): void {
    this.#lines(proposalId, (hire) => {
      hire.lineIntent = key;
    });
  }

  /** The line is in the thread (posted, or found there after a crash), or is not to be posted at all. */
  closeLine(proposalId: string, key: string): void {
    this.#lines(proposalId, (hire) => {
      hire.lines = [...(hire.lines ?? []).filter((line) => line !== key), key].slice(-MAX_HIRE_LINES);
      if (hire.lineIntent === key) hire.lineIntent = null;
    });
  }

  /** The open intent turned out not to have reached the thread: it may be posted again. */
  dropLineIntent(proposalId: string): void {
    this.#lines(proposalId, (hire) => {
      hire.lineIntent = null;
    });
  }

  /** The events handled; they are no longer waiting. */
  eventsHandled(handled: readonly PendingHireEvent[]): void {
    if (handled.length === 0) return;
    const done = new Set(handled.map(eventKey));
    this.change((data) => {
      data.pendingHireEvents = (data.pendingHireEvents ?? []).filter((event) => !done.has(eventKey(event)));
    });
  }

  #lines(proposalId: string, mutate: (hire: StoredHire) => void): void {
    this.change((data) => {
      const hire = own(data.proposals, proposalId)?.hire;
      if (hire) mutate(hire);
    });
  }
}

/** Adds ledger events to the waiting list inside the sync's commit (so they share its write with the cursor). */
export function addHireEventsIn(data: StoreData, events: readonly PendingHireEvent[]): void {
  if (events.length === 0) return;
  const waiting = data.pendingHireEvents ?? [];
  const known = new Set(waiting.map(eventKey));
  for (const event of events) {
    if (known.has(eventKey(event))) continue;
    known.add(eventKey(event));
    waiting.push({ ...event });
  }
  data.pendingHireEvents = waiting.slice(-MAX_PENDING_HIRE_EVENTS);
}

function eventKey(event: PendingHireEvent): string {
  return `${event.kind}:${event.id}`;
}
