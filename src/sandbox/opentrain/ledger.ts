import type { EventRecord } from './types.js';

/** The eight event types of docs/opentrain.md#events and the read scope each needs. */
export const EVENT_SCOPES: Readonly<Record<string, string>> = {
  'proposal.received': 'proposals:read',
  'proposal.status_changed': 'proposals:read',
  'message.received': 'messages:read',
  'contract.created': 'payments:read',
  'milestone.status_changed': 'payments:read',
  'payment.pending': 'payments:read',
  'approval.confirmed': 'payments:read',
  'contract.budget_state_changed': 'payments:read',
};

export const EVENT_TYPES = Object.keys(EVENT_SCOPES);

export interface NewEvent {
  organizationId: string;
  type: string;
  createdAt: string;
  resourceId: string;
  jobId: string | null;
  data: Record<string, unknown>;
}

export interface LedgerPage {
  events: EventRecord[];
  nextCursor: string;
  hasMore: boolean;
}

/** The render of an event record: exactly the /updates and webhook body shape. */
export function publicEvent(event: EventRecord): Record<string, unknown> {
  const { id, type, apiVersion, createdAt, resourceId, jobId, data } = event;
  return { id, type, apiVersion, createdAt, resourceId, jobId, data };
}

/**
 * The `/updates` ledger: one global sequence of numeric-string ids shared by every account, plus a per-account index
 * so a page is a binary search and a slice (the benchmark reads thousands of events 200 at a time).
 */
export class Ledger {
  private lastId = 1000;
  private readonly byAccount = new Map<string, EventRecord[]>();
  private batch: NewEvent[] | null = null;

  constructor(
    readonly events: EventRecord[],
    private readonly onAppend: (event: EventRecord) => void,
  ) {}

  /** Collects events until `commitBatch`, which appends them in createdAt order (the seed writes history out of order). */
  beginBatch(): void {
    this.batch = [];
  }

  commitBatch(): void {
    const pending = this.batch ?? [];
    this.batch = null;
    pending.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    for (const event of pending) this.append(event);
  }

  append(input: NewEvent): EventRecord | null {
    if (this.batch) {
      this.batch.push(input);
      return null;
    }
    this.lastId += 1;
    const event: EventRecord = {
      id: String(this.lastId),
      type: input.type,
      apiVersion: 'v1',
      createdAt: input.createdAt,
      resourceId: input.resourceId,
      jobId: input.jobId,
      data: input.data,
      organizationId: input.organizationId,
    };
    this.events.push(event);
    let own = this.byAccount.get(event.organizationId);
    if (!own) {
      own = [];
      this.byAccount.set(event.organizationId, own);
    }
    own.push(event);
    this.onAppend(event);
    return event;
  }

  /**
   * Events after `cursor` (a numeric event id, exclusive; null = start of history) that `visible` accepts, oldest
   * first. An empty page echoes the cursor it was given.
   */
  page(
    organizationId: string,
    cursor: string | null,
    limit: number,
    visible: (event: EventRecord) => boolean,
  ): LedgerPage {
    const own = this.byAccount.get(organizationId) ?? [];
    let index = cursor === null ? 0 : firstAfter(own, Number(cursor));
    const events: EventRecord[] = [];
    for (; index < own.length && events.length < limit; index += 1) {
      const event = own[index]!;
      if (visible(event)) events.push(event);
    }
    let hasMore = false;
    for (; index < own.length; index += 1) {
      if (visible(own[index]!)) {
        hasMore = true;
        break;
      }
    }
    const last = events.at(-1);
    return { events, nextCursor: last ? last.id : (cursor ?? '0'), hasMore };
  }
}

function firstAfter(events: EventRecord[], cursor: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (Number(events[mid]!.id) <= cursor) low = mid + 1;
    else high = mid;
  }
  return low;
}
