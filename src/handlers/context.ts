import type { OpenTrainClient } from '../api/index.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { AskService } from '../services/ask.js';
import type { GuardedTask } from '../services/background.js';
import type { CardService } from '../services/cards.js';
import type { ChannelAccess } from '../services/channel-access.js';
import type { DigestService } from '../services/digest.js';
import type { HireService } from '../services/hire/service.js';
import type { HomeService } from '../services/home.js';
import type { WatchRules } from '../services/jobs.js';
import type { ReviewerPolicy } from '../services/permissions.js';
import type { RelayService } from '../services/relay.js';
import type { ShortlistService } from '../services/shortlist.js';
import type { SlackPort } from '../services/slack-port.js';
import type { SyncService } from '../services/sync.js';
import type { Store } from '../store/index.js';

/** What every listener may use. Listeners stay thin: parse, check, ack, then call services. */
export interface BotContext {
  config: Config;
  store: Store;
  openTrain: OpenTrainClient;
  slack: SlackPort;
  cards: CardService;
  /** Which channels the bot can read (it joins public ones); what someone must do about the others. */
  access: ChannelAccess;
  sync: SyncService;
  relay: RelayService;
  digest: DigestService;
  /** `/hiring shortlist`: posted shortlists, kept up to date in place. */
  shortlists: ShortlistService;
  /** Hire requests and their approvals (src/services/hire/). */
  hires: HireService;
  /** Asking finalists questions (`/hiring ask`, the Ask finalists… button). */
  ask: AskService;
  /** Each person's App Home tab. */
  home: HomeService;
  reviewers: ReviewerPolicy;
  rules: WatchRules;
  logger: Logger;
  clock: () => Date;
  /**
   * Follow-up work of a listener, after its ack. It starts on the next turn of the event loop (setImmediate), so a
   * burst of requests is acknowledged first and Slack never waits on OpenTrain work; tests and shutdown wait for it.
   * It never throws or rejects, even when `work` throws synchronously: a failure is logged with `label` and told to
   * the person who asked through `tell` (see src/services/background.ts); the result is then undefined.
   */
  track<T>(work: () => Promise<T>, task?: Partial<GuardedTask>): Promise<T | undefined>;
}
