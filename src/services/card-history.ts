import { CARD_EVENT_TYPE } from '../blocks/ids.js';
import type { VoteKind } from '../domain.js';
import type { SlackPort } from './slack-port.js';

// Finding the bot's own messages in channel history by their message metadata: cards (`opentrain_proposal`) whose
// intent was left open or whose store record was lost, and the oldest point worth reading back.

/** A card found in channel history. */
export interface CardInHistory {
  ts: string;
  jobId: string | null;
  votes: Record<string, VoteKind>;
  notes: string[];
}

/** Upper bound of messages read when a damaged store has every card of a channel looked up. */
const HISTORY_SCAN_MAX_MESSAGES = 20_000;

/**
 * The `oldest` ts to read history from for something recorded at `sinceIso`, a minute earlier for clock skew between
 * this host and Slack; undefined (read everything) when the time is unreadable.
 */
export function historyOldestTs(sinceIso: string): string | undefined {
  const sinceMs = Date.parse(sinceIso);
  return Number.isFinite(sinceMs) ? ((sinceMs - 60_000) / 1000).toFixed(6) : undefined;
}

/**
 * The one place that searches channel history for cards: for the given proposals, or for every card when
 * `proposalIds` is null (a store that lost records). Returns each card's ts, job and the votes and notes its metadata
 * carried. A failure to read history propagates: callers leave their intents open and try again later.
 */
export async function findCardsInHistory(
  slack: Pick<SlackPort, 'history'>,
  channel: string,
  proposalIds: string[] | null,
  sinceIso: string,
): Promise<Map<string, CardInHistory>> {
  const wanted = proposalIds ? new Set(proposalIds) : null;
  const found = new Map<string, CardInHistory>();
  const oldestTs = historyOldestTs(sinceIso);
  const history = await slack.history(channel, {
    ...(oldestTs ? { oldestTs } : {}),
    maxMessages: proposalIds ? Math.max(1000, proposalIds.length * 4) : HISTORY_SCAN_MAX_MESSAGES,
  });
  for (const message of history) {
    if (message.metadata?.event_type !== CARD_EVENT_TYPE || (message.threadTs && message.threadTs !== message.ts)) {
      continue;
    }
    const payload = message.metadata.event_payload;
    const id = payload.proposal_id;
    if (typeof id !== 'string' || (wanted && !wanted.has(id)) || found.has(id)) continue;
    found.set(id, {
      ts: message.ts,
      jobId: typeof payload.job_id === 'string' ? payload.job_id : null,
      votes: votesFromMetadata(payload.votes),
      notes: typeof payload.notes === 'string' && payload.notes !== '' ? payload.notes.split('\n') : [],
    });
  }
  return found;
}

const VOTE_KINDS: ReadonlySet<string> = new Set<VoteKind>(['up', 'down', 'maybe']);

/** The votes a card's metadata carries (only well-formed entries; never a key that would touch a prototype). */
function votesFromMetadata(raw: unknown): Record<string, VoteKind> {
  const votes: Record<string, VoteKind> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return votes;
  for (const [userId, kind] of Object.entries(raw)) {
    if (!/^[A-Z0-9]+$/.test(userId) || typeof kind !== 'string' || !VOTE_KINDS.has(kind)) continue;
    votes[userId] = kind as VoteKind;
  }
  return votes;
}
