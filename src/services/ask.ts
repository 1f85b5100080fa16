import { candidateName } from '../blocks/format.js';
import type { MessageContent } from '../blocks/limits.js';
import type { RankedProposal } from '../domain.js';
import { errorText } from '../error-text.js';
import type { Logger } from '../logger.js';
import { own } from '../records.js';
import type { Store } from '../store/index.js';
import {
  askRecordOf,
  composeQuestions,
  decideFinalist,
  type FinalistOption,
  finalistOptions,
  listQuestions,
  preselectFinalists,
} from './ask-plan.js';
import type { RelayService } from './relay.js';

// Asking finalists (docs/architecture.md#asking-finalists): the coordinator that sends one round's questions to each
// chosen finalist through the relay's outbound sender (conversation get-or-create, lost-response check, thread note),
// recording each finalist's ask. Idempotent per round (`askId`): a replayed or repeated submission, or Submit pressed
// again after a partial failure, never asks anyone twice. One finalist's failure never stops the others.

export interface AskServiceOptions {
  store: Store;
  relay: Pick<RelayService, 'send' | 'findSent'>;
  /** The cards' ranks of a job's proposals (composite score). */
  ranksFor: (jobId: string) => ReadonlyMap<string, RankedProposal>;
  /** What the card's thread shows once a finalist was asked. */
  askedNote: (sent: { userId: string; candidateName: string; content: string }) => MessageContent;
  logger: Logger;
  clock: () => Date;
}

export interface AskForm {
  jobId: string;
  jobTitle: string;
  /** Ranked, best first. */
  options: FinalistOption[];
  preselected: string[];
}

export type FinalistOutcome =
  | { proposalId: string; name: string; state: 'sent' }
  /** Asked earlier in this round: not asked again. */
  | { proposalId: string; name: string; state: 'already' }
  | { proposalId: string; name: string; state: 'failed'; reason: string }
  /** It may or may not have reached them: a retry of this round checks the conversation before sending. */
  | { proposalId: string; name: string; state: 'unconfirmed'; reason: string };

export interface AskRound {
  askId: string;
  jobId: string;
  userId: string;
  finalists: readonly string[];
  questions: readonly string[];
}

const NOT_SAVED = "The bot couldn't save its record of this question, so it wasn't sent; try again in a moment.";
const NOT_CHECKED =
  "An earlier attempt's outcome is unknown and the conversation couldn't be read to check it, so nothing was sent " +
  'again; try again in a moment.';

export class AskService {
  /** Rounds being sent in this process: a second submission of the same round waits for the first, then skips. */
  readonly #running = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: AskServiceOptions) {}

  /** The job's title as the bot knows it. */
  jobTitle(jobId: string): string {
    return own(this.opts.store.data.jobs, jobId)?.title ?? jobId;
  }

  /** The ask form's content: every proposal of the job the bot knows, ranked, the top `top` pre-selected. */
  form(jobId: string, top: number): AskForm {
    const proposals = Object.values(this.opts.store.data.proposals).filter((p) => p.proposal.jobId === jobId);
    const options = finalistOptions(proposals, this.opts.ranksFor(jobId));
    return { jobId, jobTitle: this.jobTitle(jobId), options, preselected: preselectFinalists(options, top) };
  }

  /**
   * Sends the round to each finalist in turn; resolves with one outcome per finalist, in the order given.
   * `onProgress` hears the outcomes so far after each finalist (OpenTrain may take seconds per finalist).
   */
  ask(round: AskRound, onProgress?: (done: readonly FinalistOutcome[]) => void): Promise<FinalistOutcome[]> {
    const before = this.#running.get(round.askId) ?? Promise.resolve();
    const run = before.catch(() => {}).then(() => this.#askAll(round, onProgress));
    this.#running.set(round.askId, run);
    void run
      .catch(() => {})
      .finally(() => {
        if (this.#running.get(round.askId) === run) this.#running.delete(round.askId);
      });
    return run;
  }

  async #askAll(round: AskRound, onProgress?: (done: readonly FinalistOutcome[]) => void): Promise<FinalistOutcome[]> {
    const outcomes: FinalistOutcome[] = [];
    for (const proposalId of round.finalists) {
      try {
        outcomes.push(await this.#askOne(round, proposalId));
      } catch (error) {
        // Never lose the others to one finalist's surprise.
        this.opts.logger.error(`asking finalist ${proposalId} failed`, error);
        outcomes.push({ proposalId, name: this.#name(proposalId), state: 'failed', reason: errorText(error) });
      }
      try {
        onProgress?.([...outcomes]);
      } catch (error) {
        this.opts.logger.warn(`reporting ask ${round.askId}'s progress failed`, errorText(error));
      }
    }
    const counts = outcomes.map((outcome) => outcome.state).join(', ');
    this.opts.logger.info(`ask ${round.askId} for job ${round.jobId} by <@${round.userId}>: ${counts}`);
    return outcomes;
  }

  async #askOne(round: AskRound, proposalId: string): Promise<FinalistOutcome> {
    const { store } = this.opts;
    const stored = own(store.data.proposals, proposalId);
    const name = this.#name(proposalId);
    if (!stored || stored.proposal.jobId !== round.jobId) {
      return { proposalId, name, state: 'failed', reason: "The bot doesn't track this proposal any more." };
    }
    const record = askRecordOf(stored, round.askId);
    const conversationId = stored.conversation?.id ?? null;
    const decision = decideFinalist(record, conversationId);
    if (decision === 'skip') return { proposalId, name, state: 'already' };
    if (decision === 'verify' && record && conversationId) {
      const earlier = composeQuestions(this.jobTitle(round.jobId), record.questions);
      try {
        const found = await this.opts.relay.findSent(conversationId, earlier, Date.parse(record.at));
        if (found) {
          store.asks.markSent(proposalId, round.askId, found.id);
          return { proposalId, name, state: 'sent' };
        }
      } catch (error) {
        this.opts.logger.warn(
          `checking conversation ${conversationId} for ask ${round.askId} failed`,
          errorText(error),
        );
        return { proposalId, name, state: 'unconfirmed', reason: NOT_CHECKED };
      }
    }

    // `sending` is on disk before anything reaches OpenTrain.
    const at = this.opts.clock().toISOString();
    store.asks.begin(proposalId, { askId: round.askId, by: round.userId, at, questions: [...round.questions] });
    try {
      await store.flush();
    } catch (error) {
      this.opts.logger.error(`saving ask ${round.askId} for proposal ${proposalId} failed`, error);
      return { proposalId, name, state: 'failed', reason: NOT_SAVED };
    }
    const result = await this.opts.relay.send({
      proposalId,
      userId: round.userId,
      text: composeQuestions(this.jobTitle(round.jobId), round.questions),
      // The thread shows the questions, not the courtesy around them the candidate reads.
      note: (sent) => this.opts.askedNote({ ...sent, content: listQuestions(round.questions) }),
      queueNotes: true,
    });
    if (result.ok) {
      store.asks.markSent(proposalId, round.askId, result.messageId);
      return { proposalId, name, state: 'sent' };
    }
    if (result.kind === 'unconfirmed') {
      store.asks.markUnconfirmed(proposalId, round.askId, result.reason);
      return { proposalId, name, state: 'unconfirmed', reason: result.reason };
    }
    store.asks.markFailed(proposalId, round.askId, result.reason);
    return { proposalId, name, state: 'failed', reason: result.reason };
  }

  #name(proposalId: string): string {
    const stored = own(this.opts.store.data.proposals, proposalId);
    return stored ? candidateName(stored.proposal.candidate) : proposalId;
  }
}
