import { describeError } from '../api/index.js';
import type { Logger } from '../logger.js';
import type { NoticeDue, Store } from '../store/index.js';
import type { SyncPlan } from './sync-plan.js';

/** What the coordinator hands a committed plan to. */
export interface SyncCoordinatorPorts {
  store: Pick<Store, 'commitSync' | 'flush'>;
  cards: {
    /** Re-rank a job; marks (store changes) the posted cards whose rank now reads differently. */
    jobChanged(jobId: string): void;
    /** Queue the posts of open intents and the re-renders marked due. */
    postPending(): void;
  };
  relay: {
    /** Records the ids as pending (a store change) before its first await, then relays. Never throws. */
    relayConversations(conversationIds: string[]): Promise<void>;
    /** Polling mode: finds conversations with unread candidate messages and relays them. Never throws. */
    pollConversations(): Promise<void>;
  };
  notices: {
    /** Queues post-hire notices (a store change, written with the cursor that passed their events). */
    queue(notices: readonly NoticeDue[]): void;
    /** Posts the queued notices whose card can take them, each once. Never throws. */
    postDue(): Promise<void>;
  };
  hires: {
    /**
     * After the commit: handles the approval/contract events waiting in the store, reads pending approvals that are
     * due a read (past expiry; every pending one in polling mode) and finishes thread lines left open. Never throws.
     */
    afterSync(mode: 'ledger' | 'polling'): Promise<void>;
  };
  /** Posts one plain line to a channel (the first run's set-up summary). */
  announce(channel: string, text: string): Promise<void>;
  logger: Logger;
  clock: () => Date;
}

/**
 * Performs a sync plan, in this order: commit it (proposals, card intents, cursor, health, and the rank marks,
 * pending conversation ids and post-hire notices that follow from them) and write it to disk in one write; only then
 * announce, relay, post cards, follow the hires and post the notices due. A crash at any point leaves either nothing of the cycle on disk, or all of it with every intent open,
 * which start-up resolves from channel history before posting (docs/architecture.md#sync).
 */
export async function performSyncPlan(plan: SyncPlan, ports: SyncCoordinatorPorts): Promise<void> {
  const { store, cards, relay, notices, logger } = ports;
  const { prunedJobs, pruned } = store.commitSync(plan, ports.clock().toISOString());
  if (pruned.length > 0) logger.info(`pruned ${pruned.length} old proposal(s)`);
  for (const jobId of new Set([...plan.jobsChanged, ...prunedJobs])) cards.jobChanged(jobId);
  notices.queue(plan.contractEvents);
  // Started before the write so the conversation ids it records share the write with the cursor that skipped them.
  const relaying =
    plan.conversations !== null
      ? relay.relayConversations(plan.conversations)
      : plan.pollConversations
        ? relay.pollConversations()
        : Promise.resolve();
  await store.flush();
  for (const { channel, text } of plan.announcements) {
    await ports.announce(channel, text).catch((error: unknown) => {
      logger.warn(`could not post the backfill summary to ${channel}`, describeError(error));
    });
  }
  await relaying;
  cards.postPending();
  // Hires before notices: a thread says "hired" and "contract created" before what the contract then needs, and a
  // notice finds its proposal through the hire record the hire service just completed.
  await ports.hires.afterSync(plan.counts.mode);
  // Every cycle, even without new events: notices that waited (a card on its way, a channel to be invited to) go now.
  await notices.postDue();
}
